//! What the specs must hold: every operation per file, the servers and documented regions.

/// (method, path, operationId) of one operation.
pub(super) type Op = (&'static str, &'static str, &'static str);

/// Every operation, per spec file.
pub(super) const EXPECTED: &[(&str, &[Op])] = &[
    (
        "notifications.yaml",
        &[
            ("POST", "/v3/notifications", "sendNotifications"),
            ("DELETE", "/v3/notifications", "deleteNotificationsByUnit"),
            ("POST", "/v3/notifications/delete", "deleteNotifications"),
            ("POST", "/v3/notifications/query", "queryNotifications"),
        ],
    ),
    (
        "proactive-events.yaml",
        &[
            ("POST", "/v1/proactiveEvents", "createProactiveEvent"),
            (
                "POST",
                "/v1/proactiveEvents/stages/development",
                "createDevelopmentProactiveEvent",
            ),
        ],
    ),
    (
        "skill-development-notifications.yaml",
        &[
            (
                "POST",
                "/v0/developmentEvents/subscribers",
                "createSubscriber",
            ),
            (
                "GET",
                "/v0/developmentEvents/subscribers",
                "listSubscribers",
            ),
            (
                "GET",
                "/v0/developmentEvents/subscribers/{subscriberId}",
                "getSubscriber",
            ),
            (
                "PUT",
                "/v0/developmentEvents/subscribers/{subscriberId}",
                "updateSubscriber",
            ),
            (
                "DELETE",
                "/v0/developmentEvents/subscribers/{subscriberId}",
                "deleteSubscriber",
            ),
            (
                "POST",
                "/v0/developmentEvents/subscriptions",
                "createSubscription",
            ),
            (
                "GET",
                "/v0/developmentEvents/subscriptions",
                "listSubscriptions",
            ),
            (
                "GET",
                "/v0/developmentEvents/subscriptions/{subscriptionId}",
                "getSubscription",
            ),
            (
                "PUT",
                "/v0/developmentEvents/subscriptions/{subscriptionId}",
                "updateSubscription",
            ),
            (
                "DELETE",
                "/v0/developmentEvents/subscriptions/{subscriptionId}",
                "deleteSubscription",
            ),
        ],
    ),
    (
        "proactive-suggestions.yaml",
        &[
            ("POST", "/v1/proactive/campaigns", "createCampaign"),
            ("GET", "/v1/proactive/campaigns", "listCampaigns"),
            ("POST", "/v1/proactive/campaigns/query", "queryCampaigns"),
            ("GET", "/v1/proactive/campaigns/{campaignId}", "getCampaign"),
            (
                "DELETE",
                "/v1/proactive/campaigns/{campaignId}",
                "deleteCampaign",
            ),
        ],
    ),
];

pub(super) const TOTAL_OPERATIONS: usize = 21;
pub(super) const TOKEN_URL: &str = "https://api.amazon.com/auth/o2/token";
pub(super) const REQUEST_ID_REF: &str = "#/components/headers/X-Amzn-RequestId";
pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
pub(super) const SERVERS: &[(&str, &str)] = &[
    ("https://api.amazonalexa.com", "North America"),
    ("https://api.eu.amazonalexa.com", "Europe"),
    ("https://api.fe.amazonalexa.com", "Far East"),
];

/// How many of [`SERVERS`] each spec lists: a region only with a source. The Notifications and
/// Proactive Events documents name all three endpoints; the Proactive Suggestions and SDNS
/// documents name only North America.
pub(super) const DOCUMENTED_REGIONS: &[(&str, usize)] = &[
    ("notifications.yaml", 3),
    ("proactive-events.yaml", 3),
    ("proactive-suggestions.yaml", 1),
    ("skill-development-notifications.yaml", 1),
];
