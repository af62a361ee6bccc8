//! stub
use super::InputError;
use rego_eval::Value;
pub fn parse_ini(name: &str, _text: &str) -> Result<Value, InputError> {
    Err(InputError::new(name, "todo"))
}
pub fn parse_env(name: &str, _text: &str) -> Result<Value, InputError> {
    Err(InputError::new(name, "todo"))
}
pub fn parse_properties(name: &str, _text: &str) -> Result<Value, InputError> {
    Err(InputError::new(name, "todo"))
}
