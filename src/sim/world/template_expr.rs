//! ARM template language expressions (`"[concat(parameters('name'), '-x')]"`): a small parser
//! and evaluator for the functions `template_eval` lists. A function it does not know makes the
//! whole string stay as written (its value is known only at deployment time); a syntax error, or a
//! parameter or variable that does not exist, is an error.
//!
//! Owns expressions only.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::template_eval::RgContext;
use crate::sim::rng::hash_parts;

/// How deep variables may refer to variables before it is taken for a cycle.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Str(String),
    Int(i64),
    Call(String, Vec<Expr>),
    Prop(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

enum Fail {
    /// A function the simulator does not evaluate.
    Unsupported,
    /// A definite error.
    Error(String),
}

struct Cx<'a> {
    params: &'a BTreeMap<String, Value>,
    vars: &'a Map<String, Value>,
    rg: &'a RgContext,
}

/// Evaluates a JSON string that may be an expression; `Err` carries ARM's kind of message.
pub(super) fn eval_string(
    s: &str,
    params: &BTreeMap<String, Value>,
    vars: &Map<String, Value>,
    rg: &RgContext,
) -> Result<Value, String> {
    eval_text(s, &Cx { params, vars, rg }, 0)
}

fn eval_text(s: &str, cx: &Cx<'_>, depth: usize) -> Result<Value, String> {
    if let Some(rest) = s.strip_prefix("[[") {
        return Ok(Value::String(format!("[{rest}")));
    }
    let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else {
        return Ok(Value::String(s.to_owned()));
    };
    let mut p = Parser {
        c: inner.chars().collect(),
        i: 0,
    };
    let expr = p
        .expr()
        .and_then(|e| {
            p.ws();
            if p.i == p.c.len() {
                Ok(e)
            } else {
                Err(format!("unexpected '{}'", p.c[p.i]))
            }
        })
        .map_err(|m| format!("The template language expression '{inner}' is not valid: {m}."))?;
    match eval(&expr, cx, depth) {
        Ok(v) => Ok(v),
        Err(Fail::Unsupported) => Ok(Value::String(s.to_owned())),
        Err(Fail::Error(m)) => Err(m),
    }
}

fn eval_json(v: &Value, cx: &Cx<'_>, depth: usize) -> Result<Value, Fail> {
    Ok(match v {
        Value::String(s) => eval_text(s, cx, depth).map_err(Fail::Error)?,
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| eval_json(x, cx, depth))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| Ok((k.clone(), eval_json(x, cx, depth)?)))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

struct Parser {
    c: Vec<char>,
    i: usize,
}

impl Parser {
    fn ws(&mut self) {
        while self.c.get(self.i).is_some_and(|c| c.is_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn ident(&mut self) -> Result<String, String> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.i += 1;
        }
        if start == self.i {
            return Err("a name was expected".to_owned());
        }
        Ok(self.c[start..self.i].iter().collect())
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.ws();
        let mut e = self.primary()?;
        loop {
            self.ws();
            match self.peek() {
                Some('.') => {
                    self.i += 1;
                    e = Expr::Prop(Box::new(e), self.ident()?);
                }
                Some('[') => {
                    self.i += 1;
                    let index = self.expr()?;
                    self.ws();
                    if self.peek() != Some(']') {
                        return Err("']' was expected".to_owned());
                    }
                    self.i += 1;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some('\'') => {
                self.i += 1;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return Err("a string is not closed".to_owned()),
                        Some('\'') if self.c.get(self.i + 1) == Some(&'\'') => {
                            s.push('\'');
                            self.i += 2;
                        }
                        Some('\'') => {
                            self.i += 1;
                            return Ok(Expr::Str(s));
                        }
                        Some(c) => {
                            s.push(c);
                            self.i += 1;
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.i;
                self.i += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let text: String = self.c[start..self.i].iter().collect();
                text.parse()
                    .map(Expr::Int)
                    .map_err(|_| format!("'{text}' is not a number"))
            }
            Some(c) if c.is_alphabetic() => {
                let name = self.ident()?;
                self.ws();
                if self.peek() != Some('(') {
                    return Err(format!("'(' was expected after '{name}'"));
                }
                self.i += 1;
                let mut args = Vec::new();
                self.ws();
                if self.peek() == Some(')') {
                    self.i += 1;
                    return Ok(Expr::Call(name, args));
                }
                loop {
                    args.push(self.expr()?);
                    self.ws();
                    match self.peek() {
                        Some(',') => self.i += 1,
                        Some(')') => {
                            self.i += 1;
                            return Ok(Expr::Call(name, args));
                        }
                        _ => return Err(format!("',' or ')' was expected in '{name}'")),
                    }
                }
            }
            _ => Err("an expression was expected".to_owned()),
        }
    }
}

/// A value as text, for `concat` and `format`.
fn text(v: &Value) -> Result<String, Fail> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Fail::Unsupported),
    }
}

fn get_ci<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn eval(expr: &Expr, cx: &Cx<'_>, depth: usize) -> Result<Value, Fail> {
    match expr {
        Expr::Str(s) => Ok(Value::String(s.clone())),
        Expr::Int(n) => Ok(json!(n)),
        Expr::Prop(inner, key) => {
            let value = eval(inner, cx, depth)?;
            value
                .as_object()
                .and_then(|map| get_ci(map, key))
                .cloned()
                .ok_or_else(|| {
                    Fail::Error(format!(
                        "The language expression property '{key}' doesn't exist."
                    ))
                })
        }
        Expr::Index(inner, index) => {
            let value = eval(inner, cx, depth)?;
            let at = eval(index, cx, depth)?;
            let found = match (&value, &at) {
                (Value::Array(items), Value::Number(num)) => num
                    .as_u64()
                    .and_then(|n| items.get(usize::try_from(n).ok()?)),
                (Value::Object(map), Value::String(key)) => get_ci(map, key),
                _ => None,
            };
            found
                .cloned()
                .ok_or_else(|| Fail::Error(format!("The index {at} does not exist.")))
        }
        Expr::Call(name, args) => call(name, args, cx, depth),
    }
}

fn call(name: &str, args: &[Expr], cx: &Cx<'_>, depth: usize) -> Result<Value, Fail> {
    let lower = name.to_ascii_lowercase();
    let vals = || -> Result<Vec<Value>, Fail> { args.iter().map(|a| eval(a, cx, depth)).collect() };
    let one_text = || -> Result<String, Fail> {
        let v = vals()?;
        match v.as_slice() {
            [x] => text(x),
            _ => Err(Fail::Error(format!("'{name}' takes one argument."))),
        }
    };
    match lower.as_str() {
        "parameters" => {
            let n = one_text()?;
            cx.params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&n))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| Fail::Error(format!("The template parameter '{n}' is not found.")))
        }
        "variables" => {
            let n = one_text()?;
            if depth >= MAX_DEPTH {
                return Err(Fail::Error(format!(
                    "The template variable '{n}' refers to itself."
                )));
            }
            let v = get_ci(cx.vars, &n)
                .ok_or_else(|| Fail::Error(format!("The template variable '{n}' is not found.")))?;
            eval_json(v, cx, depth + 1)
        }
        "concat" | "format" | "tolower" | "toupper" | "trim" | "string" | "uniquestring" => {
            text_function(&lower, &vals()?)
        }
        "resourcegroup" => Ok(json!({
            "id": cx.rg.id(),
            "name": cx.rg.resource_group,
            "type": "Microsoft.Resources/resourceGroups",
            "location": cx.rg.location,
            "properties": {"provisioningState": "Succeeded"},
        })),
        "subscription" => Ok(json!({
            "id": format!("/subscriptions/{}", cx.rg.subscription_id),
            "subscriptionId": cx.rg.subscription_id,
        })),
        "resourceid" => {
            let parts: Vec<String> = vals()?.iter().map(text).collect::<Result<_, _>>()?;
            let t = parts
                .iter()
                .position(|p| p.contains('/'))
                .ok_or_else(|| Fail::Error("'resourceId' needs a resource type.".to_owned()))?;
            let mut rg = cx.rg.clone();
            match &parts[..t] {
                [g] => rg.resource_group.clone_from(g),
                [s, g] => {
                    rg.subscription_id.clone_from(s);
                    rg.resource_group.clone_from(g);
                }
                _ => {}
            }
            Ok(Value::String(
                rg.resource_id(&parts[t], &parts[t + 1..].join("/")),
            ))
        }
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "equals" => match vals()?.as_slice() {
            [a, b] => Ok(Value::Bool(a == b)),
            _ => Err(Fail::Error("'equals' takes two arguments.".to_owned())),
        },
        "not" => match vals()?.as_slice() {
            [Value::Bool(b)] => Ok(Value::Bool(!b)),
            _ => Err(Fail::Error("'not' takes one boolean.".to_owned())),
        },
        "if" => match vals()?.as_slice() {
            [Value::Bool(c), a, b] => Ok(if *c { a.clone() } else { b.clone() }),
            _ => Err(Fail::Error(
                "'if' takes a boolean and two values.".to_owned(),
            )),
        },
        _ => Err(Fail::Unsupported),
    }
}

/// The functions that build text: `concat`, `format`, `toLower`, `toUpper`, `trim`, `string`,
/// `uniqueString`.
fn text_function(name: &str, v: &[Value]) -> Result<Value, Fail> {
    let one = || -> Result<String, Fail> {
        match v {
            [x] => text(x),
            _ => Err(Fail::Error(format!("'{name}' takes one argument."))),
        }
    };
    match name {
        "concat" => {
            if !v.is_empty() && v.iter().all(Value::is_array) {
                Ok(Value::Array(
                    v.iter()
                        .flat_map(|a| a.as_array().cloned().unwrap_or_default())
                        .collect(),
                ))
            } else {
                let parts: Vec<String> = v.iter().map(text).collect::<Result<_, _>>()?;
                Ok(Value::String(parts.concat()))
            }
        }
        "format" => {
            let (fmt, rest) = v
                .split_first()
                .ok_or_else(|| Fail::Error("'format' needs a format string.".to_owned()))?;
            let mut out = text(fmt)?;
            for (i, a) in rest.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), &text(a)?);
            }
            Ok(Value::String(out))
        }
        "tolower" => Ok(Value::String(one()?.to_lowercase())),
        "toupper" => Ok(Value::String(one()?.to_uppercase())),
        "trim" => Ok(Value::String(one()?.trim().to_owned())),
        "string" => Ok(Value::String(one()?)),
        _ => {
            let parts: Vec<String> = v.iter().map(text).collect::<Result<_, _>>()?;
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            Ok(Value::String(unique_string(hash_parts(0, &refs))))
        }
    }
}

/// A 13-character lowercase name from a hash, shaped like ARM's `uniqueString`.
fn unique_string(mut h: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..13)
        .map(|_| {
            let c = ALPHABET[(h % 32) as usize] as char;
            h /= 32;
            c
        })
        .collect()
}
