//! Parameters: path, query, header and cookie values, shared ones of the path item merged
//! with the operation's own.

use openapiv3::{Parameter as SpecParameter, ParameterSchemaOrContent, ReferenceOr};

use super::super::model::{Location, ObjectStyle, Parameter, Shape, Ty, TypeKind};
use super::super::schemas::SchemaConverter;
use super::OpContext;
use crate::diagnostics::pointer;
use crate::naming::{self, Scope};

impl OpContext<'_, '_> {
    pub(super) fn parameters(
        &mut self,
        shared: &[ReferenceOr<SpecParameter>],
        own: &[ReferenceOr<SpecParameter>],
    ) -> Vec<Parameter> {
        let mut resolved: Vec<(String, SpecParameter)> = Vec::new();
        let item_ptr = self
            .ptr
            .rsplit_once('/')
            .map_or(String::new(), |(item, _)| item.to_owned());
        let sources = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (pointer(&item_ptr, &["parameters", &i.to_string()]), p))
            .chain(
                own.iter()
                    .enumerate()
                    .map(|(i, p)| (pointer(&self.ptr, &["parameters", &i.to_string()]), p)),
            );
        for (ptr, parameter) in sources.collect::<Vec<_>>() {
            let Some(parameter) = self.deref(parameter, &ptr) else {
                continue;
            };
            let key = (
                parameter.parameter_data_ref().name.clone(),
                location_of(&parameter),
            );
            resolved.retain(|(_, p)| (p.parameter_data_ref().name.clone(), location_of(p)) != key);
            resolved.push((ptr, parameter));
        }
        let mut scope = Scope::builder_methods();
        let mut out = Vec::new();
        let template_vars = template_variables(self.path);
        for (ptr, parameter) in resolved {
            let location = location_of(&parameter);
            let data = parameter.parameter_data_ref();
            if location == Location::Path && !template_vars.contains(&data.name.as_str()) {
                self.schemas.diagnostics.warn(
                    &ptr,
                    format!(
                        "path parameter `{}` does not appear in the path `{}`; ignored",
                        data.name, self.path
                    ),
                );
                continue;
            }
            if location == Location::Cookie {
                self.schemas.diagnostics.warn(
                    &ptr,
                    format!(
                        "cookie parameter `{}` is not supported; set the Cookie header yourself",
                        data.name
                    ),
                );
                continue;
            }
            let hint = format!("{}{}", self.prefix, naming::camel(&data.name));
            let shape = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schemas
                        .convert(schema, &pointer(&ptr, &["schema"]), &hint)
                        .shape
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.schemas.diagnostics.warn(
                        &ptr,
                        format!(
                            "parameter `{}` uses `content`; sent as JSON text",
                            data.name
                        ),
                    );
                    Shape::plain(Ty::Json)
                }
            };
            let explode = match &parameter {
                SpecParameter::Query { style, .. } => data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
                _ => data.explode.unwrap_or(false),
            };
            let object_style = match &parameter {
                SpecParameter::Query { style, .. } if !is_param_type(&shape.ty, self.schemas) => {
                    Some(match style {
                        openapiv3::QueryStyle::DeepObject => ObjectStyle::DeepObject,
                        _ => ObjectStyle::Form,
                    })
                }
                _ => None,
            };
            let shape = if object_style.is_some() || is_param_type(&shape.ty, self.schemas) {
                shape
            } else {
                self.schemas.diagnostics.warn(
                    &ptr,
                    format!(
                        "parameter `{}` is an object; it is sent as JSON text",
                        data.name
                    ),
                );
                Shape::plain(Ty::Json)
            };
            out.push(Parameter {
                name: scope.snake(&data.name).into(),
                wire: data.name.clone(),
                location,
                required: data.required || location == Location::Path,
                shape,
                docs: data.description.clone(),
                explode,
                object_style,
            });
        }
        for var in template_vars {
            let declared = out
                .iter()
                .any(|p| p.location == Location::Path && p.wire == var);
            if !declared {
                self.schemas.diagnostics.warn(
                    &self.ptr,
                    format!("path variable `{{{var}}}` has no parameter; typed as a string"),
                );
                out.push(Parameter {
                    name: scope.snake(var).into(),
                    wire: var.to_owned(),
                    location: Location::Path,
                    required: true,
                    shape: Shape::plain(Ty::String),
                    docs: None,
                    explode: false,
                    object_style: None,
                });
            }
        }
        out
    }
}

fn location_of(parameter: &SpecParameter) -> Location {
    match parameter {
        SpecParameter::Query { .. } => Location::Query,
        SpecParameter::Header { .. } => Location::Header,
        SpecParameter::Path { .. } => Location::Path,
        SpecParameter::Cookie { .. } => Location::Cookie,
    }
}

/// The `{name}` variables of a path template, in order.
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn is_param_type(ty: &Ty, schemas: &SchemaConverter) -> bool {
    // Alias cycles are reported only after all operations are converted, so the aliases
    // followed here are counted instead of trusting the spec (arrays nest finitely).
    let mut ty = ty;
    let mut aliases = 0;
    loop {
        match ty {
            Ty::Named(id) => match &schemas.types[id.0].kind {
                TypeKind::StringEnum(_) => return true,
                TypeKind::Alias(_) if aliases > schemas.types.len() => return false,
                TypeKind::Alias(shape) => {
                    aliases += 1;
                    ty = &shape.ty;
                }
                _ => return false,
            },
            Ty::Array(item) => ty = &item.ty,
            Ty::Map(_) | Ty::Json | Ty::Option(_) => return false,
            _ => return true,
        }
    }
}
