//! Tests of request building: query styles, form bodies, path segments.

mod query_style_tests {
    use super::super::*;
    use serde_json::json;

    fn query_of(
        value: serde_json::Value,
        style: QueryStyle,
        explode: bool,
    ) -> Vec<(String, String)> {
        let mut request = ApiRequest::new(Method::GET, "/".into(), "op");
        request.query_object("filter", &value, style, explode);
        request.query
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn deep_object_brackets_nested_keys() {
        let value = json!({"created": {"gt": 5, "lte": "x"}, "tags": ["a", "b"], "gone": null});
        assert_eq!(
            query_of(value, QueryStyle::DeepObject, true),
            pairs(&[
                ("filter[created][gt]", "5"),
                ("filter[created][lte]", "x"),
                ("filter[tags][]", "a"),
                ("filter[tags][]", "b"),
            ])
        );
    }

    #[test]
    fn form_objects_explode_to_properties_or_join() {
        let value = json!({"R": 100, "G": 200});
        assert_eq!(
            query_of(value.clone(), QueryStyle::Form, true),
            pairs(&[("R", "100"), ("G", "200")])
        );
        assert_eq!(
            query_of(value, QueryStyle::Form, false),
            pairs(&[("filter", "R,100,G,200")])
        );
    }

    #[test]
    fn form_bodies_bracket_nested_values() {
        let mut request = ApiRequest::new(Method::POST, "/".into(), "op");
        request
            .form(&json!({"email": "a@b.c", "metadata": {"k": "v"}, "items": [{"price": "p_1"}]}))
            .expect("form body");
        let Some(Body::Form(text)) = &request.body else {
            panic!("no form body");
        };
        assert_eq!(
            text,
            "email=a%40b.c&metadata%5Bk%5D=v&items%5B0%5D%5Bprice%5D=p_1"
        );
    }
}

mod path_segment_tests {
    use super::super::encode_path_segment;

    #[test]
    fn path_segments_keep_unreserved_characters_and_encode_the_rest() {
        assert_eq!(encode_path_segment(""), "");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("sub 1"), "sub%201");
        assert_eq!(encode_path_segment("a/b?c#d%"), "a%2Fb%3Fc%23d%25");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment("x é/€y"), "x%20%C3%A9%2F%E2%82%ACy");
    }
}

mod last_segment_tests {
    use super::super::last_path_segment;

    #[test]
    fn takes_the_last_segment_of_a_path_or_url() {
        let cases = [
            (
                "/v0/developmentEvents/subscribers/amzn1.ask-subscriber.1",
                Some("amzn1.ask-subscriber.1"),
            ),
            (
                "https://api.amazonalexa.com/v0/subscriptions/abc",
                Some("abc"),
            ),
            ("/v0/subscriptions/abc/", Some("abc")),
            ("/v0/subscriptions/abc?page=2#top", Some("abc")),
            ("abc", Some("abc")),
            ("", None),
            ("/", None),
            ("https://api.amazonalexa.com", None),
            ("https://api.amazonalexa.com/", None),
        ];
        for (location, expected) in cases {
            assert_eq!(last_path_segment(location), expected, "{location:?}");
        }
    }
}
