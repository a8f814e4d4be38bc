//! A tiny reader and escaper for the few flat XML bodies the Storage queue data plane uses
//! (`<QueueMessagesList>`, `<Error>`, `<QueueMessage>`).
//!
//! Owns only element lookup by name, text unescaping and escaping. It is not a general XML
//! parser: no namespaces, no CDATA, no comments; Storage's queue bodies need none of them.

/// The content between `<tag …>` and `</tag>` of the first such element, or `""` for `<tag/>`.
pub fn element<'a>(text: &'a str, tag: &str) -> Option<&'a str> {
    elements(text, tag).next()
}

/// The unescaped text of the first `tag` element.
pub fn element_text(text: &str, tag: &str) -> Option<String> {
    element(text, tag).map(unescape)
}

/// The contents of every `tag` element, in document order (not descending into a match).
pub fn elements<'a>(text: &'a str, tag: &str) -> impl Iterator<Item = &'a str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find('<')?;
            let after = &rest[start + 1..];
            let Some(tail) = after.strip_prefix(tag) else {
                rest = after;
                continue;
            };
            // The name must end here: `<Tag>`, `<Tag attr…>`, `<Tag/>`.
            if !matches!(
                tail.chars().next(),
                Some('>' | '/' | ' ' | '\t' | '\r' | '\n')
            ) {
                rest = after;
                continue;
            }
            let open_end = tail.find('>')?;
            if tail[..open_end].ends_with('/') {
                rest = &tail[open_end + 1..];
                return Some("");
            }
            let body = &tail[open_end + 1..];
            let close = format!("</{tag}>");
            let end = body.find(&close)?;
            rest = &body[end + close.len()..];
            return Some(&body[..end]);
        }
    })
}

/// Replaces the five predefined entities and numeric character references.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &after[semi + 1..];
        } else {
            out.push('&');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for use as element content or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList>\
        <QueueMessage><MessageId>a</MessageId><MessageText>x &amp; y</MessageText></QueueMessage>\
        <QueueMessage><MessageId>b</MessageId><MessageText/></QueueMessage>\
        </QueueMessagesList>";

    #[test]
    fn finds_elements_in_order() {
        let ids: Vec<String> = elements(LIST, "QueueMessage")
            .filter_map(|m| element_text(m, "MessageId"))
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(element_text(LIST, "MessageText").as_deref(), Some("x & y"));
        let second = elements(LIST, "QueueMessage").nth(1).expect("second");
        assert_eq!(element(second, "MessageText"), Some(""));
    }

    #[test]
    fn does_not_match_a_longer_name() {
        // `<QueueMessagesList>` must not be taken for `<QueueMessage>`.
        let first = element(LIST, "QueueMessage").expect("message");
        assert!(first.starts_with("<MessageId>a"), "{first}");
        assert_eq!(element("<Codes>1</Codes>", "Code"), None);
        assert_eq!(element("<Code lang=\"en\">1</Code>", "Code"), Some("1"));
    }

    #[test]
    fn unescapes_entities_and_char_refs() {
        assert_eq!(
            unescape("&lt;a&gt; &quot;&apos; &#65;&#x42; &bogus; &"),
            "<a> \"' AB &bogus; &"
        );
    }

    #[test]
    fn escape_round_trips() {
        let raw = "<QueueMessage> & \"quotes\" 'too'";
        assert_eq!(unescape(&escape(raw)), raw);
        assert!(!escape(raw).contains('<'));
    }
}
