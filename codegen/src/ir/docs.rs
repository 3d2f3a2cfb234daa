//! TEMPORARY stand-in until the converter lands.
pub fn html_to_markdown(html: &str) -> String { html.to_owned() }
