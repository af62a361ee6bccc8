//! Rego v1 syntax: source text to tokens (logos) to an AST with spans (lalrpop).
//!
//! ```
//! use rego_syntax::{parse_module, SourceMap};
//!
//! let mut sources = SourceMap::new();
//! let file = sources.add("authz.rego", "package authz\n\nallow if input.user == \"alice\"\n");
//! let module = parse_module(&sources, file).expect("valid Rego");
//! assert_eq!(module.package.path[0].name, "authz");
//! assert_eq!(module.rules.len(), 1);
//! ```

pub mod annotations;
pub mod ast;
mod build;
pub mod error;
pub mod lexer;
mod parser;
pub mod printer;
pub mod span;

pub use build::is_reserved;
pub use error::{PARSE_ERROR_CODE, ParseError, ParseErrors};
pub use parser::{MAX_SOURCE_BYTES, parse_module, parse_query};
pub use printer::{print_expr, print_module, print_query};
pub use span::{FileId, Location, SourceFile, SourceMap, Span};
