//! A small flowing-text PDF writer on top of pdf-writer: A4 pages, the standard Helvetica faces (no
//! font files to ship), word wrapping by the faces' metrics, and a header and footer on every page
//! that carry the handling code, so a printed page never travels without it.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use unicode_normalization::UnicodeNormalization;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.0;
const RIGHT: f32 = PAGE_W - 56.0;
const TOP: f32 = PAGE_H - 84.0;
const BOTTOM: f32 = 70.0;
const LEADING: f32 = 1.35;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    fn name(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }
}

/// Helvetica advance widths (1/1000 em) for printable ASCII, from the standard AFM metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/// The byte for `c` in WinAnsiEncoding: accented letters outside it fall back to their base letter,
/// anything else to '?'. (The standard faces cannot show other scripts.)
fn win_ansi(c: char) -> u8 {
    const EXTRA: &[(char, u8)] = &[
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    let code = c as u32;
    if (0x20..0x7F).contains(&code) || (0xA0..=0xFF).contains(&code) {
        return code as u8;
    }
    if let Some((_, b)) = EXTRA.iter().find(|(e, _)| *e == c) {
        return *b;
    }
    match c.to_string().nfd().next() {
        Some(base) if base != c && (base as u32) < 0x7F => base as u8,
        _ => b'?',
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().filter(|c| !c.is_control()).map(win_ansi).collect()
}

/// Width of `text` in points. Bold is measured 10 % wider than regular: never narrower than the real
/// Helvetica-Bold, so a wrapped line never runs past the margin.
pub fn width(face: Face, size: f32, text: &str) -> f32 {
    let units: u32 = encode(text)
        .into_iter()
        .map(|b| match b {
            0x20..=0x7E => HELVETICA[(b - 0x20) as usize] as u32,
            _ => 600,
        })
        .sum();
    let scale = if face == Face::Bold { 1.1 } else { 1.0 };
    units as f32 * size / 1000.0 * scale
}

/// Greedy word wrap to `max` points; a word longer than a line (a hash, a URL) is cut.
pub fn wrap(face: Face, size: f32, max: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(face, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word;
            while width(face, size, rest) > max {
                let mut end = 0;
                for (i, c) in rest.char_indices() {
                    let next = i + c.len_utf8();
                    if end > 0 && width(face, size, &rest[..next]) > max {
                        break;
                    }
                    end = next;
                }
                lines.push(rest[..end].to_string());
                rest = &rest[end..];
            }
            line = rest.to_string();
        }
        lines.push(line);
    }
    lines
}

/// What every page repeats: the handling code (label and colour) and who the document is about.
pub struct Running {
    pub marking: String,
    /// Text and background colours of the marking, as RGB 0..1.
    pub marking_colour: (f32, f32, f32),
    pub header: String,
    pub footer: String,
}

pub struct Document {
    pages: Vec<Content>,
    current: Content,
    y: f32,
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

impl Document {
    pub fn new() -> Self {
        Document { pages: Vec::new(), current: Content::new(), y: TOP }
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.current, Content::new());
        self.pages.push(done);
        self.y = TOP;
    }

    /// Moves to a new page unless `height` points still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// Wrapped text; `indent` from the left margin.
    pub fn text(&mut self, face: Face, size: f32, indent: f32, text: &str) {
        for line in wrap(face, size, RIGHT - LEFT - indent, text) {
            self.keep(size * LEADING);
            self.y -= size * LEADING;
            show(&mut self.current, face, size, LEFT + indent, self.y + size * 0.3, &line);
        }
    }

    /// A heading that is never left alone at the bottom of a page.
    pub fn heading(&mut self, size: f32, text: &str) {
        self.keep(size * LEADING * 4.0);
        self.gap(size * 0.6);
        self.text(Face::Bold, size, 0.0, text);
        self.gap(2.0);
    }

    /// "Label: value" with the label in bold, value wrapped beside it.
    pub fn fact(&mut self, label: &str, value: &str) {
        let size = 10.0;
        let label_w = 130.0;
        let lines = wrap(Face::Regular, size, RIGHT - LEFT - label_w, value);
        self.keep(size * LEADING);
        for (i, line) in lines.iter().enumerate() {
            self.keep(size * LEADING);
            self.y -= size * LEADING;
            if i == 0 {
                show(&mut self.current, Face::Bold, size, LEFT, self.y + size * 0.3, label);
            }
            show(&mut self.current, Face::Regular, size, LEFT + label_w, self.y + size * 0.3, line);
        }
    }

    pub fn rule(&mut self) {
        self.keep(8.0);
        self.y -= 4.0;
        self.current.set_stroke_gray(0.7).set_line_width(0.5).move_to(LEFT, self.y).line_to(RIGHT, self.y).stroke();
        self.y -= 4.0;
    }

    /// The finished file: every page gets the running header and footer with "page i of n".
    pub fn finish(mut self, title: &str, running: &Running) -> Vec<u8> {
        self.new_page();
        let count = self.pages.len();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(6 + 2 * i as i32)).collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(count as i32);
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info).title(TextStr(title)).producer(TextStr("Liaison Desk"));
        for (i, mut content) in self.pages.into_iter().enumerate() {
            running_parts(&mut content, running, i + 1, count);
            let page_id = page_ids[i];
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(page_id);
            page.parent(tree).media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).contents(content_id);
            page.resources().fonts().pair(Face::Regular.name(), regular).pair(Face::Bold.name(), bold);
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

fn show(c: &mut Content, face: Face, size: f32, x: f32, y: f32, text: &str) {
    c.begin_text().set_font(face.name(), size).next_line(x, y).show(Str(&encode(text))).end_text();
}

/// The marking as TLP 2.0 asks: coloured text on black, top and bottom of every page.
fn marking(c: &mut Content, running: &Running, x: f32, y: f32) {
    let size = 10.0;
    let w = width(Face::Bold, size, &running.marking) + 12.0;
    c.set_fill_rgb(0.0, 0.0, 0.0).rect(x, y - 4.0, w, size + 8.0).fill_nonzero();
    let (r, g, b) = running.marking_colour;
    c.set_fill_rgb(r, g, b);
    show(c, Face::Bold, size, x + 6.0, y, &running.marking);
    c.set_fill_rgb(0.0, 0.0, 0.0);
}

fn running_parts(c: &mut Content, running: &Running, page: usize, count: usize) {
    let head_y = PAGE_H - 48.0;
    marking(c, running, LEFT, head_y);
    let header = &running.header;
    show(c, Face::Regular, 9.0, RIGHT - width(Face::Regular, 9.0, header), head_y, header);
    c.set_stroke_gray(0.5).set_line_width(0.5).move_to(LEFT, head_y - 12.0).line_to(RIGHT, head_y - 12.0).stroke();
    let foot_y = 36.0;
    c.set_stroke_gray(0.5).set_line_width(0.5).move_to(LEFT, foot_y + 18.0).line_to(RIGHT, foot_y + 18.0).stroke();
    marking(c, running, LEFT, foot_y);
    let pages = format!("Page {page} of {count}");
    show(c, Face::Regular, 9.0, RIGHT - width(Face::Regular, 9.0, &pages), foot_y, &pages);
    let footer = wrap(Face::Regular, 8.0, RIGHT - LEFT - 200.0, &running.footer);
    if let Some(first) = footer.first() {
        show(c, Face::Regular, 8.0, LEFT + width(Face::Bold, 10.0, &running.marking) + 24.0, foot_y, first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_within_the_width_and_cuts_long_tokens() {
        let text = "The consignor holds no licence for 4-AP or its derivatives. Its licence for acetone lapsed in March.";
        let lines = wrap(Face::Regular, 10.0, 200.0, text);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(Face::Regular, 10.0, l) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" "), text, "no word lost");
        let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let cut = wrap(Face::Regular, 10.0, 100.0, hash);
        assert!(cut.len() > 1 && cut.concat() == hash);
        assert_eq!(wrap(Face::Regular, 10.0, 100.0, "a\n\nb"), vec!["a", "", "b"], "blank lines kept");
    }

    #[test]
    fn encodes_to_win_ansi() {
        assert_eq!(encode("Café – “ok” €"), vec![b'C', b'a', b'f', 0xE9, b' ', 0x96, b' ', 0x93, b'o', b'k', 0x94, b' ', 0x80]);
        assert_eq!(encode("Dvořák"), b"Dvor\xe1k".to_vec(), "letters outside WinAnsi fall back to their base letter");
        assert_eq!(encode("राज"), b"???".to_vec());
        assert!((width(Face::Regular, 10.0, "MM") - 16.66).abs() < 0.01);
    }

    #[test]
    fn every_page_carries_the_marking_and_its_number() {
        let mut doc = Document::new();
        for i in 0..200 {
            doc.text(Face::Regular, 10.0, 0.0, &format!("Line {i} of a long report"));
        }
        let running = Running {
            marking: "TLP:AMBER".into(),
            marking_colour: (1.0, 0.75, 0.0),
            header: "LD-2026-000001".into(),
            footer: "Printed by test".into(),
        };
        let bytes = doc.finish("Report", &running);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-"));
        assert!(text.contains("(Page 4 of 4)"), "200 lines of 13.5 pt make four numbered pages");
        assert_eq!(text.matches("(TLP:AMBER)").count(), 8, "marking at top and bottom of each page");
        assert!(text.contains("(Line 199 of a long report)"));
    }
}
