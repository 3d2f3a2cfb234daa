use super::html_to_markdown;

/// Runs `(input, expected)` cases and reports every mismatch at once.
fn check(cases: &[(&str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let actual = html_to_markdown(input);
            (actual != expected).then(|| format!("input:    {input:?}\nexpected: {expected:?}\nactual:   {actual:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn paragraphs_and_whitespace() {
    check(&[
        ("<p>Hello world.</p><p>Second.</p>", "Hello world.\n\nSecond."),
        ("<p>  Hello \n\t world.  </p>", "Hello world."),
        ("\n\n<p>a</p>\n\n", "a"),
        ("<p></p><p> </p><p>a</p>", "a"),
        ("<p>a</p>\n  <p>b</p>", "a\n\nb"),
        ("<div>a <span>b</span></div><div>c</div>", "a b\n\nc"),
        ("text <p>para</p> tail", "text\n\npara\n\ntail"),
    ]);
}

#[test]
fn plain_text() {
    check(&[
        ("Use the token. Then call X.", "Use the token. Then call X."),
        ("First para.\nstill first.\n\nSecond.", "First para. still first.\n\nSecond."),
        ("  a  \n \n\n  b  ", "a\n\nb"),
        ("", ""),
        ("   \n\t ", ""),
        ("Use `foo_bar` here.", "Use `foo_bar` here."),
        ("it`s", "it\\`s"),
        ("``a`b`` c", "``a`b`` c"),
    ]);
}

#[test]
fn inline_code() {
    check(&[
        ("<p>Call <code>GetToken</code> first.</p>", "Call `GetToken` first."),
        ("<code>a`b</code>", "``a`b``"),
        ("<code>`a</code>", "`` `a ``"),
        ("<code>List&lt;String&gt;</code>", "`List<String>`"),
        ("<code>a  \n b</code>", "`a b`"),
        ("a<code> b </code>c", "a `b` c"),
        ("a<code> </code>b", "a b"),
        ("<code><i>name</i>[*]</code>", "`name[*]`"),
        ("<CODE>x</CODE>", "`x`"),
        ("<code>a</code><code>b`</code> <code>c</code>", "`` ab` `` `c`"),
        ("`a`<code>b</code>", "`ab`"),
        ("x`<code>y</code>`", "x\\``y`\\`"),
        (
            "For example, <code><scanrange><start>50</start></scanrange></code> means",
            "For example, `<scanrange><start>50</start></scanrange>` means",
        ),
        ("<code><Rule/> <b>x</b></code>", "`<Rule/> x`"),
        ("<code><Unclosed>x</code> y", "`<Unclosed>x` y"),
    ]);
}

#[test]
fn emphasis() {
    check(&[
        ("<b>x</b> and <strong>y</strong>", "**x** and **y**"),
        ("<i>x</i> <em>y</em>", "_x_ _y_"),
        ("a<b> b </b>c", "a **b** c"),
        ("a<b></b>b", "ab"),
        ("<b>a</b><b>b</b>", "**ab**"),
        ("<b>a <strong>b</strong></b>", "**a b**"),
        ("<b><i>x</i></b>", "**_x_**"),
        // `_` does not work inside a word, `*` does.
        ("snake<i>case</i>d and <i>x</i>_y", "snake*case*d and _x_\\_y"),
        ("<b>Note:</b> text", "**Note:** text"),
        // Markdown would not read these as emphasis, so the markers are dropped.
        ("x<b>(y)</b>", "x(y)"),
        ("<b>(y)</b>z", "(y)z"),
        ("<b><code>Foo</code></b>: bar", "**`Foo`**: bar"),
    ]);
}

#[test]
fn links() {
    check(&[
        (r#"<a href="https://example.com/x">the docs</a>"#, "[the docs](https://example.com/x)"),
        ("<a href='https://e.com'>t</a>", "[t](https://e.com)"),
        ("<A HREF=https://e.com>t</A>", "[t](https://e.com)"),
        (r#"See <a href="/cli/latest/reference">the reference</a>."#, "See the reference."),
        (r##"<a href="#anchor">here</a>"##, "here"),
        ("<a>no href</a>", "no href"),
        (r#"<a href="https://x.com"><code>Foo</code></a>"#, "[`Foo`](https://x.com)"),
        (r#"<a href="https://x.com">https://x.com</a>"#, "<https://x.com>"),
        (r#"<a href="https://x.com"></a>"#, "<https://x.com>"),
        (r#"<a href=" https://e.com/a b(c) ">t</a>"#, "[t](https://e.com/a%20b%28c%29)"),
        (r#"<a href="https://e.com/?a>b">x</a>"#, "[x](https://e.com/?a%3Eb)"),
        (r#"<a href="https://e.com/?a=1&amp;b=2">x</a>"#, "[x](https://e.com/?a=1&b=2)"),
        (r#"Wow!<a href="https://e.com">x</a>"#, "Wow\\![x](https://e.com)"),
        (r#"<a href="mailto:a@b.com">mail</a>"#, "[mail](mailto:a@b.com)"),
        (r#"<b><a href="https://e.com">x</a></b>"#, "**[x](https://e.com)**"),
        (r#"<a href="https://e.com">[^1]</a>"#, "[\\[^1\\]](https://e.com)"),
        (r#"<a href="https://e.com">^1</a>"#, "[\\^1](https://e.com)"),
    ]);
}

#[test]
fn bare_urls() {
    check(&[
        ("Visit https://example.com/path.", "Visit <https://example.com/path>."),
        ("(see http://e.com/a_b)", "(see <http://e.com/a_b>)"),
        ("https://en.wikipedia.org/wiki/A_(b), ok", "<https://en.wikipedia.org/wiki/A_(b)>, ok"),
        ("HTTPS://E.COM", "<HTTPS://E.COM>"),
        ("just https:// alone", "just https:// alone"),
        (r#"<a href="https://e.com">see https://e.com/x</a>"#, "[see https://e.com/x](https://e.com)"),
        ("<code>https://e.com</code>", "`https://e.com`"),
    ]);
}

#[test]
fn lists() {
    check(&[
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"),
        ("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>", "- a\n  - b\n    - c"),
        ("<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   - b"),
        ("<ul><li><p>a</p><p>b</p></li></ul>", "- a\n\n  b"),
        ("<ul><li>a<ul><li>b</li></ul>c</li></ul>", "- a\n  - b\n\n  c"),
        ("<p>Intro:</p><ul> <li> a </li> <li></li> </ul><p>After.</p>", "Intro:\n\n- a\n\nAfter."),
        ("<ul><li>a<li>b</ul>", "- a\n- b"),
        ("<ul>loose<li>a</li></ul>", "- loose\n- a"),
        ("<li>a</li> <li>b</li>", "- a\n- b"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b"),
        ("<ul><li># a</li><li>1. b</li></ul>", "- \\# a\n- 1\\. b"),
        ("<ul><li><pre>x\n y</pre></li></ul>", "- ```text\n  x\n   y\n  ```"),
    ]);
}

#[test]
fn line_breaks() {
    check(&[
        ("a<br>b<br/>c<BR />d", "a\\\nb\\\nc\\\nd"),
        ("a<br/> <br/>b", "a\n\nb"),
        ("<br/>a<br/>", "a"),
        ("a <br/> b", "a\\\nb"),
        ("<b>a<br/></b>b", "**a**\\\nb"),
        ("a<br/># b", "a\\\n\\# b"),
    ]);
}

#[test]
fn callouts() {
    check(&[
        ("<note><p>Be careful.</p></note>", "**Note:** Be careful."),
        ("<note>Be careful.</note>", "**Note:** Be careful."),
        ("<important><p>x</p><p>y</p></important>", "**Important:** x\n\ny"),
        ("<p>a</p><note><p>b</p></note><p>c</p>", "a\n\n**Note:** b\n\nc"),
        ("<note><ul><li>x</li></ul></note>", "**Note:**\n\n- x"),
        ("<note> </note>", ""),
        ("<NOTE><p># x</p></NOTE>", "**Note:** \\# x"),
    ]);
}

#[test]
fn definition_lists() {
    check(&[
        ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "**Term**\n\nMeaning"),
        ("<dl><dt>A<dd>a<dt>B<dd>b</dl>", "**A**\n\na\n\n**B**\n\nb"),
    ]);
}

#[test]
fn preformatted() {
    check(&[
        ("<pre>let x = 1;\n  y</pre>", "```text\nlet x = 1;\n  y\n```"),
        ("<p>a</p><pre>\n    {\n      \"k\": 1\n    }\n</pre>", "a\n\n```text\n{\n  \"k\": 1\n}\n```"),
        ("<pre>```\ncode\n```</pre>", "````text\n```\ncode\n```\n````"),
        ("<pre><code>a &lt; b  </code></pre>", "```text\na < b\n```"),
        ("<pre>a<br/>b</pre>", "```text\na\nb\n```"),
        ("<pre>  </pre>", ""),
        ("<pre><Grant>\n  <ID>1</ID>\n</Grant></pre>", "```text\n<Grant>\n  <ID>1</ID>\n</Grant>\n```"),
    ]);
}

#[test]
fn headings_titles_and_unknown_tags() {
    check(&[
        ("<h2>Overview</h2><p>x</p>", "**Overview**\n\nx"),
        ("<H1>A</H1>", "**A**"),
        ("<title>T</title>", "**T**"),
        (
            "<fullname>Amazon Connect Participant Service</fullname><p>Intro</p>",
            "Amazon Connect Participant Service\n\nIntro",
        ),
        ("<foo>bar</foo>", "bar"),
        ("<P>a <B>b</B></P>", "a **b**"),
        ("<p class=\"x\" data-y='1' hidden>a</p>", "a"),
        ("a<!-- comment -->b", "ab"),
        ("<!DOCTYPE html>a", "a"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"),
    ]);
}

#[test]
fn entities() {
    check(&[
        ("&amp; &quot;q&quot; &apos;a&#39; &#65;&#x42;&#X43; a&nbsp;b", "& \"q\" 'a' ABC a b"),
        ("&lt;tag&gt;", "\\<tag\\>"),
        ("&amp;lt;", "\\&lt;"),
        ("Q&A & more &foo; &amp", "Q&A & more \\&foo; &amp"),
        ("&#0;&#xD800;&#x110000;", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        // Not decodable, so kept; escaped because it looks like an entity to markdown.
        ("&#99999999999;", "\\&#99999999999;"),
        ("&mdash;&hellip;", "\u{2014}\u{2026}"),
    ]);
}

#[test]
fn escaping() {
    check(&[
        ("see [1] and [Foo]", "see \\[1\\] and \\[Foo\\]"),
        ("# not a heading", "\\# not a heading"),
        ("C# and F#", "C# and F#"),
        ("a * b _c_ snake_case __init__", "a \\* b \\_c\\_ snake_case \\_\\_init\\_\\_"),
        ("- not a list", "\\- not a list"),
        ("+ not", "\\+ not"),
        ("1. not a list", "1\\. not a list"),
        ("2024) year", "2024\\) year"),
        ("Version 1.2", "Version 1.2"),
        ("a ~b~ \\ `", "a \\~b\\~ \\\\ \\`"),
        ("a < b > c", "a \\< b \\> c"),
        ("Vec<T>", "Vec"),
        ("Use List&lt;String&gt; here", "Use List\\<String\\> here"),
        ("x <user@example.com>", "x \\<user@example.com\\>"),
        ("a<b", "a\\<b"),
        ("<p>a <=b</p>", "a \\<=b"),
        ("= x", "\\= x"),
        ("Use --dry-run or ---", "Use -\\-dry-run or -\\-\\-"),
    ]);
}

#[test]
fn malformed_input() {
    check(&[
        ("<p>a <b>b</p> c", "a **b**\n\nc"),
        ("</p>a</b>", "a"),
        ("<p>a", "a"),
        ("<a href=\"unterminated>x", "\\<a href=\"unterminated\\>x"),
        ("<!-- never closed", "\\<!-\\- never closed"),
        ("<", "\\<"),
        ("&", "&"),
        ("<ul><li>a</ol>b", "- ab"),
        ("a\u{0}b\u{1b}c", "abc"),
    ]);
    let deep = format!("{}x{}", "<div><b>".repeat(5000), "</b></div>".repeat(5000));
    assert_eq!(html_to_markdown(&deep), "**x**");
    let deep_lists = "<ul><li>".repeat(3000) + "x";
    assert!(html_to_markdown(&deep_lists).ends_with("- x"));
}

#[test]
fn aws_style_documentation() {
    let input = "<p>Creates the participant's connection. </p> <note> <p>\n  \
        <code>ParticipantToken</code> is used for invoking this API instead of \
        <code>ConnectionToken</code>.</p> </note> <p>The participant token is valid for the lifetime of \
        the participant – until they are part of a contact. For more information, see \
        <a href=\"https://docs.aws.amazon.com/connect/latest/adminguide/chat.html\">Chat</a> in the \
        <i>Amazon Connect Administrator Guide</i>.</p> <ul> <li> <p>Type: <code>WEBSOCKET</code> \
        </p> </li> <li> <p>See <a href=\"connect/latest/APIReference/API_StartChatContact.html\">\
        StartChatContact</a>.</p> </li> </ul>";
    let expected = "Creates the participant's connection.\n\n\
        **Note:** `ParticipantToken` is used for invoking this API instead of `ConnectionToken`.\n\n\
        The participant token is valid for the lifetime of the participant – until they are part of a \
        contact. For more information, see \
        [Chat](https://docs.aws.amazon.com/connect/latest/adminguide/chat.html) in the \
        _Amazon Connect Administrator Guide_.\n\n\
        - Type: `WEBSOCKET`\n\
        - See StartChatContact.";
    check(&[(input, expected)]);
    check(&[
        (
            "<p>This parameter allows (through its <a href=\"http://wikipedia.org/wiki/regex\">regex \
            pattern</a>) any of the following characters: _+=,.@-</p> <p>Pattern: [\\w+=,.@-]+</p>",
            "This parameter allows (through its [regex pattern](http://wikipedia.org/wiki/regex)) any of \
            the following characters: \\_+=,.@-\n\nPattern: \\[\\\\w+=,.@-\\]+",
        ),
        (
            "<p>Valid values: <code>true</code> | <code>false</code></p><p>Example:<br/> \
            <code>arn:aws:iam::123456789012:role/*</code></p>",
            "Valid values: `true` | `false`\n\nExample:\\\n`arn:aws:iam::123456789012:role/*`",
        ),
        (
            "<p>Seconds (0 - 43200) &mdash; default 3600.</p><ol><li><p>First, call \
            <code>CreateParticipantConnection</code>.</p><note><p>Only once.</p></note></li>\
            <li>Then <i>poll</i>.</li></ol>",
            "Seconds (0 - 43200) \u{2014} default 3600.\n\n1. First, call \
            `CreateParticipantConnection`.\n\n   **Note:** Only once.\n2. Then _poll_.",
        ),
        // Markdown documentation: code spans survive, other markdown syntax is shown as
        // written.
        (
            "Returns `Foo` objects.\n\nSee [the guide](https://x.com/g) for *more*.",
            "Returns `Foo` objects.\n\nSee \\[the guide\\](<https://x.com/g>) for \\*more\\*.",
        ),
    ]);
}

/// A small linear congruential generator: deterministic pseudo-random input without a
/// dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Feeds thousands of generated strings, mixing tag and entity fragments with arbitrary
/// bytes, and checks that nothing panics and that the output keeps its layout promises.
#[test]
fn never_panics_on_generated_input() {
    const FRAGMENTS: &[&str] = &[
        "<p>",
        "</p>",
        "<ul>",
        "</ul>",
        "<ol>",
        "</ol>",
        "<li>",
        "</li>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<code>",
        "</code>",
        "<pre>",
        "</pre>",
        "<a href=\"https://e.com/x\">",
        "<a href='rel'>",
        "<a href=",
        "</a>",
        "<br/>",
        "<br>",
        "<note>",
        "</note>",
        "<important>",
        "<dl>",
        "<dt>",
        "<dd>",
        "<h3>",
        "</h3>",
        "<span x='>'>",
        "<!--",
        "-->",
        "<!x",
        "&amp;",
        "&lt;",
        "&#",
        "&#x1F600;",
        "&#12;",
        "&nbsp;",
        "&",
        ";",
        "<",
        ">",
        "/",
        "=",
        "\"",
        "'",
        "`",
        "``",
        "*",
        "_",
        "#",
        "[",
        "]",
        "!",
        "-",
        "1.",
        "\\",
        "~",
        "^",
        "http://",
        "https://e.com/(a)",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "word",
        "é",
        "\u{a0}",
        "\u{0}",
    ];
    let mut rng = Lcg(0x5EED);
    for case in 0..4000 {
        let mut bytes = Vec::new();
        for _ in 0..rng.next() % 40 {
            if case % 4 == 0 || rng.next().is_multiple_of(5) {
                bytes.push((rng.next() % 256) as u8);
            } else {
                bytes.extend_from_slice(FRAGMENTS[rng.next() % FRAGMENTS.len()].as_bytes());
            }
        }
        let input = String::from_utf8_lossy(&bytes);
        let output = html_to_markdown(&input);
        assert_eq!(output.trim(), output, "outer whitespace for {input:?}");
        // `<pre>` content keeps its blank lines; everywhere else one blank line at most.
        // A fence opens after any list markers and closes with at least as many backticks.
        let mut fence: Option<usize> = None;
        let mut blank_run = 0;
        for line in output.lines() {
            assert_eq!(line.trim_end(), line, "trailing whitespace for {input:?}: {output:?}");
            let ticks = |s: &str| s.len() - s.trim_start_matches('`').len();
            match fence {
                None => {
                    let body = line
                        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '*' | '.' | ')'));
                    if ticks(body) >= 3 {
                        fence = Some(ticks(body));
                    }
                }
                Some(open) => {
                    let body = line.trim_start();
                    if ticks(body) == body.len() && body.len() >= open {
                        fence = None;
                    }
                }
            }
            blank_run = if line.is_empty() && fence.is_none() { blank_run + 1 } else { 0 };
            assert!(blank_run < 2, "double blank line for {input:?}: {output:?}");
        }
    }
}
