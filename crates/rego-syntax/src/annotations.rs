//! `# METADATA` comment blocks: YAML parsed into annotations attached to the package or rule
//! that follows each block.

use crate::ast::{Annotation, AnnotationTarget, Comment, Module};
use crate::error::ParseError;
use crate::span::{SourceMap, Span};

/// Finds every `# METADATA` block of `module` and attaches it to what follows.
pub(crate) fn attach(
    sources: &SourceMap,
    module: &Module,
) -> Result<Vec<Annotation>, Vec<ParseError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (span, yaml) in blocks(sources, &module.comments) {
        match annotation(sources, module, span, &yaml) {
            Ok(Some(a)) => out.push(a),
            Ok(None) => {}
            Err(e) => errors.push(*e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Groups comments into METADATA blocks: the marker line and every comment on the lines right
/// after it.
fn blocks(sources: &SourceMap, comments: &[Comment]) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < comments.len() {
        if comments[i].text.trim() != "METADATA" {
            i += 1;
            continue;
        }
        let start = comments[i].span;
        let mut line = sources.location(start).row;
        let mut end = start;
        let mut yaml = String::new();
        i += 1;
        while i < comments.len() && sources.location(comments[i].span).row == line + 1 {
            let text = &comments[i].text;
            yaml.push_str(text.strip_prefix(' ').unwrap_or(text));
            yaml.push('\n');
            end = comments[i].span;
            line += 1;
            i += 1;
        }
        out.push((start.to(end), yaml));
    }
    out
}

fn annotation(
    sources: &SourceMap,
    module: &Module,
    span: Span,
    yaml: &str,
) -> Result<Option<Annotation>, Box<ParseError>> {
    let parsed: serde_json::Value = if yaml.trim().is_empty() {
        serde_json::Value::Object(Default::default())
    } else {
        serde_yaml_ng::from_str(yaml)
            .map_err(|e| Box::new(ParseError::new(sources, span, format!("yaml: {e}"))))?
    };
    let serde_json::Value::Object(mut fields) = parsed else {
        return Err(Box::new(ParseError::new(
            sources,
            span,
            "yaml: metadata must be a mapping",
        )));
    };
    let target = if module.package.span.start > span.end {
        Some(AnnotationTarget::Package)
    } else {
        module
            .rules
            .iter()
            .position(|r| r.span.start > span.end)
            .map(|index| AnnotationTarget::Rule { index })
    };
    let Some(target) = target else {
        return Ok(None);
    };
    let scope = match fields.remove("scope") {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(Box::new(ParseError::new(
                sources,
                span,
                format!("invalid annotation scope {other}"),
            )));
        }
        None => match target {
            AnnotationTarget::Package => "package".to_string(),
            AnnotationTarget::Rule { .. } => "rule".to_string(),
        },
    };
    match (scope.as_str(), &target) {
        ("package" | "subpackages", AnnotationTarget::Package)
        | ("rule" | "document", AnnotationTarget::Rule { .. }) => {}
        ("package" | "subpackages" | "rule" | "document", _) => {
            let what = match target {
                AnnotationTarget::Package => "package",
                AnnotationTarget::Rule { .. } => "rule",
            };
            return Err(Box::new(
                ParseError::new(
                    sources,
                    span,
                    format!(
                        "annotation scope '{scope}' must be applied to {}",
                        match scope.as_str() {
                            "package" | "subpackages" => "package",
                            _ => "rule",
                        }
                    ),
                )
                .with_hint(format!("this block is attached to a {what}")),
            ));
        }
        _ => {
            return Err(Box::new(ParseError::new(
                sources,
                span,
                format!("invalid annotation scope '{scope}'"),
            )));
        }
    }
    Ok(Some(Annotation {
        span,
        scope,
        target,
        fields,
    }))
}
