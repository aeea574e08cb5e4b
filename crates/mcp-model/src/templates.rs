//! The built-in templates: known MCP servers with the values a user must fill in.

use std::collections::BTreeMap;

use crate::api::Template;
use crate::{ServerConfig, ServerType, StdioConfig, ValidationError};

struct Spec {
    name: &'static str,
    display_name: &'static str,
    description: &'static str,
    package: &'static str,
    /// Required env var and the example value the spec shows for it.
    env: Option<(&'static str, &'static str)>,
    /// Required positional argument and its example value.
    arg: Option<(&'static str, &'static str)>,
}

const SPECS: [Spec; 5] = [
    Spec {
        name: "kubernetes",
        display_name: "Kubernetes",
        description: "Query Kubernetes clusters",
        package: "@modelcontextprotocol/server-kubernetes",
        env: Some(("KUBECONFIG", "/path/to/kubeconfig")),
        arg: None,
    },
    Spec {
        name: "filesystem",
        display_name: "Filesystem",
        description: "Access local filesystem",
        package: "@modelcontextprotocol/server-filesystem",
        env: None,
        arg: Some(("path", "/allowed/path")),
    },
    Spec {
        name: "postgres",
        display_name: "PostgreSQL",
        description: "Query PostgreSQL databases",
        package: "@modelcontextprotocol/server-postgres",
        env: Some(("POSTGRES_URL", "postgresql://localhost/mydb")),
        arg: None,
    },
    Spec {
        name: "brave-search",
        display_name: "Brave Search",
        description: "Web search with the Brave Search API",
        package: "@modelcontextprotocol/server-brave-search",
        env: Some(("BRAVE_API_KEY", "your-brave-api-key")),
        arg: None,
    },
    Spec {
        name: "github",
        display_name: "GitHub",
        description: "Work with GitHub repositories, issues and pull requests",
        package: "@modelcontextprotocol/server-github",
        env: Some(("GITHUB_TOKEN", "your-github-token")),
        arg: None,
    },
];

fn build(spec: &Spec) -> Template {
    let mut args = vec!["-y".to_string(), spec.package.to_string()];
    if let Some((_, example)) = spec.arg {
        args.push(example.to_string());
    }
    let env = spec
        .env
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    Template {
        name: spec.name.into(),
        display_name: spec.display_name.into(),
        description: spec.description.into(),
        server_type: ServerType::Stdio,
        config: ServerConfig::Stdio(StdioConfig {
            command: "npx".into(),
            args,
            env,
        }),
        required_env: spec.env.iter().map(|(k, _)| (*k).to_string()).collect(),
        required_args: spec.arg.iter().map(|(k, _)| (*k).to_string()).collect(),
    }
}

/// Every built-in template, in a stable order.
pub fn all() -> Vec<Template> {
    SPECS.iter().map(build).collect()
}

/// By the template's `name`, exactly; `None` lets the caller list `names()` in its error.
pub fn find(name: &str) -> Option<Template> {
    SPECS.iter().find(|s| s.name == name).map(build)
}

/// For error messages that tell the user which templates exist.
pub fn names() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.name).collect()
}

impl Template {
    /// The config with the user's values in place of the examples. `env` may
    /// carry extra variables beyond the required ones; every required env var
    /// and argument must be given, else the error names the first one missing.
    pub fn instantiate(
        &self,
        env: &BTreeMap<String, String>,
        args: &BTreeMap<String, String>,
    ) -> Result<ServerConfig, ValidationError> {
        let mut config = self.config.clone();
        let ServerConfig::Stdio(stdio) = &mut config else {
            return Ok(config);
        };
        for key in &self.required_env {
            if env.get(key).is_none_or(|v| v.is_empty()) {
                return Err(ValidationError::new(
                    format!("config.env.{key}"),
                    format!("template '{}' needs a value for env var {key}", self.name),
                ));
            }
        }
        stdio
            .env
            .extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        // Required arguments replace the example arguments at the end, in
        // order. A template (perhaps from another server's version) with
        // fewer arguments than it requires is refused, not trusted.
        let Some(first) = stdio.args.len().checked_sub(self.required_args.len()) else {
            return Err(ValidationError::new(
                "args",
                format!(
                    "template '{}' requires {} arguments but its command has only {}",
                    self.name,
                    self.required_args.len(),
                    stdio.args.len()
                ),
            ));
        };
        for (i, name) in self.required_args.iter().enumerate() {
            match args.get(name).filter(|v| !v.is_empty()) {
                Some(v) => stdio.args[first + i].clone_from(v),
                None => {
                    return Err(ValidationError::new(
                        format!("args.{name}"),
                        format!(
                            "template '{}' needs a value for argument '{name}'",
                            self.name
                        ),
                    ));
                }
            }
        }
        if let Some(unknown) = args.keys().find(|k| !self.required_args.contains(k)) {
            return Err(ValidationError::new(
                format!("args.{unknown}"),
                format!("template '{}' has no argument '{unknown}'", self.name),
            ));
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_five() {
        assert_eq!(
            names(),
            [
                "kubernetes",
                "filesystem",
                "postgres",
                "brave-search",
                "github"
            ]
        );
        let k = find("kubernetes").expect("exists");
        assert_eq!(k.required_env, ["KUBECONFIG"]);
        assert_eq!(find("filesystem").expect("exists").required_args, ["path"]);
        assert!(find("nope").is_none());
    }

    #[test]
    fn instantiate_fills_and_refuses() {
        let fs = find("filesystem").expect("exists");
        let err = fs
            .instantiate(&BTreeMap::new(), &BTreeMap::new())
            .expect_err("missing");
        assert!(err.message.contains("'path'"), "{err}");
        let args = [("path".to_string(), "/srv".to_string())].into();
        let ServerConfig::Stdio(c) = fs.instantiate(&BTreeMap::new(), &args).expect("ok") else {
            panic!("stdio")
        };
        assert_eq!(
            c.args,
            ["-y", "@modelcontextprotocol/server-filesystem", "/srv"]
        );

        let pg = find("postgres").expect("exists");
        let err = pg
            .instantiate(&BTreeMap::new(), &BTreeMap::new())
            .expect_err("missing");
        assert_eq!(err.field, "config.env.POSTGRES_URL");
        let env = [("POSTGRES_URL".to_string(), "postgresql://h/db".to_string())].into();
        let c = pg.instantiate(&env, &BTreeMap::new()).expect("ok");
        assert_eq!(
            c.secret_values().get("POSTGRES_URL").map(String::as_str),
            Some("postgresql://h/db")
        );
    }

    #[test]
    fn a_template_with_fewer_args_than_it_requires_is_refused() {
        let mut t = find("filesystem").expect("exists");
        t.required_args
            .extend(["a".into(), "b".into(), "c".into(), "d".into(), "e".into()]);
        let args: BTreeMap<String, String> = t
            .required_args
            .iter()
            .map(|a| (a.clone(), "v".to_string()))
            .collect();
        assert_eq!(
            t.instantiate(&BTreeMap::new(), &args)
                .expect_err("refused")
                .field,
            "args"
        );
    }
}
