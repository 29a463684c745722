//! The PDF writer under the case report: A4 pages of flowing text. The layout (line breaks, pages, the running
//! header and footer that carry the handling code on every page) is decided here; krilla draws it: it shapes
//! the text, embeds the fonts cut down to the glyphs used, and checks the file against PDF/UA-1 (tagged
//! headings and paragraphs in reading order, the running parts as artifacts, the document's language and
//! title). Fonts: Noto Sans for Latin scripts (French accents and all) and Noto Sans Devanagari for Hindi,
//! shipped in `app/fonts` under the SIL Open Font Licence and chosen run by run, so "राजेश शर्मा" prints
//! as written. Widths are measured with the same shaper krilla uses (rustybuzz), so a wrapped line fits.

use krilla::color::{luma, rgb};
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag, Tag, TagGroup, TagKind, TagTree};
use krilla::text::{Font, TextDirection};
use krilla::{Document as PdfDocument, SerializeSettings};
use std::sync::LazyLock;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.0;
const RIGHT: f32 = PAGE_W - 56.0;
// Heights below count up from the bottom of the page, as printers think of them; `top` turns them around
// for krilla, which counts down from the top.
const TOP: f32 = PAGE_H - 84.0;
const BOTTOM: f32 = 70.0;
const LEADING: f32 = 1.35;

fn top(y: f32) -> f32 {
    PAGE_H - y
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Face {
    Regular,
    Bold,
}

/// The scripts the fonts cover, one font family each.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Devanagari,
}

impl Script {
    /// The script of `c`, or None for what fits any script (spaces, punctuation, digits): those stay in the
    /// run around them, so a name's parts are shaped together.
    fn of(c: char) -> Option<Script> {
        match c as u32 {
            0x0900..=0x097F | 0xA8E0..=0xA8FF | 0x1CD0..=0x1CFF | 0x200C | 0x200D => Some(Script::Devanagari),
            _ if c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit() => None,
            _ => Some(Script::Latin),
        }
    }

    /// The language a span of this script is tagged with (screen readers choose their voice by it).
    fn lang(self) -> Option<&'static str> {
        match self {
            Script::Latin => None,
            Script::Devanagari => Some("hi"),
        }
    }
}

/// One font: krilla's handle for drawing, and the shaper's for measuring.
struct Shaper {
    font: Font,
    face: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl Shaper {
    fn load(data: &'static [u8]) -> Shaper {
        let face = rustybuzz::Face::from_slice(data, 0).expect("a font shipped with the program");
        let units_per_em = face.units_per_em() as f32;
        Shaper { font: Font::new(data.into(), 0).expect("a font shipped with the program"), face, units_per_em }
    }

    /// The advance of `text` at `size` points, shaped.
    fn width(&self, size: f32, text: &str) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i64 = shaped.glyph_positions().iter().map(|p| p.x_advance as i64).sum();
        units as f32 / self.units_per_em * size
    }
}

/// [script][face]
static FONTS: LazyLock<[[Shaper; 2]; 2]> = LazyLock::new(|| {
    [
        [
            Shaper::load(include_bytes!("../../../fonts/NotoSans-Regular.ttf")),
            Shaper::load(include_bytes!("../../../fonts/NotoSans-Bold.ttf")),
        ],
        [
            Shaper::load(include_bytes!("../../../fonts/NotoSansDevanagari-Regular.ttf")),
            Shaper::load(include_bytes!("../../../fonts/NotoSansDevanagari-Bold.ttf")),
        ],
    ]
});

fn shaper(script: Script, face: Face) -> &'static Shaper {
    let s = match script {
        Script::Latin => 0,
        Script::Devanagari => 1,
    };
    let f = match face {
        Face::Regular => 0,
        Face::Bold => 1,
    };
    &FONTS[s][f]
}

/// `text` cut into runs of one script each (control characters dropped).
fn runs(text: &str) -> Vec<(Script, String)> {
    let mut out: Vec<(Script, String)> = Vec::new();
    let mut pending = String::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        match Script::of(c) {
            None => match out.last_mut() {
                Some((_, run)) if pending.is_empty() => run.push(c),
                _ => pending.push(c),
            },
            Some(script) => match out.last_mut() {
                Some((last, run)) if *last == script => {
                    run.push(c);
                }
                _ => {
                    let mut run = std::mem::take(&mut pending);
                    run.push(c);
                    out.push((script, run));
                }
            },
        }
    }
    if !pending.is_empty() {
        match out.last_mut() {
            Some((_, run)) => run.push_str(&pending),
            None => out.push((Script::Latin, pending)),
        }
    }
    out
}

/// Width of `text` in points, as drawn.
pub fn width(face: Face, size: f32, text: &str) -> f32 {
    runs(text).iter().map(|(script, run)| shaper(*script, face).width(size, run)).sum()
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

/// `text` if it fits in `max` points, else as many whole words as fit followed by "…" (a single long word is
/// cut where it must be).
pub fn shorten(face: Face, size: f32, max: f32, text: &str) -> String {
    if width(face, size, text) <= max {
        return text.to_string();
    }
    let mut kept = String::new();
    for word in text.split_whitespace() {
        let candidate = if kept.is_empty() { word.to_string() } else { format!("{kept} {word}") };
        if width(face, size, &format!("{candidate}…")) > max {
            break;
        }
        kept = candidate;
    }
    if kept.is_empty() {
        for c in text.chars() {
            if width(face, size, &format!("{kept}{c}…")) > max {
                break;
            }
            kept.push(c);
        }
    }
    format!("{kept}…")
}

/// What every page repeats: the handling code (label and colour) and who the document is about.
pub struct Running {
    pub marking: String,
    /// Text colour of the marking (shown on black), as RGB 0..1.
    pub marking_colour: (f32, f32, f32),
    pub header: String,
    pub footer: String,
    /// The reader's language, for the page numbers.
    pub locale: crate::i18n::Locale,
}

/// A structure element of the document: what a screen reader announces and reads in order.
enum Block {
    Heading(u16, String),
    Paragraph,
}

/// What is drawn on a page, before the running parts.
enum Mark {
    /// A line of text belonging to block `block`.
    Line {
        face: Face,
        size: f32,
        x: f32,
        y: f32,
        text: String,
        block: usize,
    },
    Rule {
        y: f32,
    },
}

pub struct Document {
    pages: Vec<Vec<Mark>>,
    current: Vec<Mark>,
    blocks: Vec<Block>,
    y: f32,
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

impl Document {
    pub fn new() -> Self {
        Document { pages: Vec::new(), current: Vec::new(), blocks: Vec::new(), y: TOP }
    }

    fn new_page(&mut self) {
        let done = std::mem::take(&mut self.current);
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

    fn block(&mut self, block: Block) -> usize {
        self.blocks.push(block);
        self.blocks.len() - 1
    }

    fn lines(&mut self, face: Face, size: f32, indent: f32, text: &str, block: usize) {
        for line in wrap(face, size, RIGHT - LEFT - indent, text) {
            self.keep(size * LEADING);
            self.y -= size * LEADING;
            self.current.push(Mark::Line { face, size, x: LEFT + indent, y: self.y + size * 0.3, text: line, block });
        }
    }

    /// A paragraph of wrapped text; `indent` from the left margin.
    pub fn text(&mut self, face: Face, size: f32, indent: f32, text: &str) {
        let block = self.block(Block::Paragraph);
        self.lines(face, size, indent, text, block);
    }

    /// The document's title (its one level-1 heading).
    pub fn title(&mut self, size: f32, text: &str) {
        let block = self.block(Block::Heading(1, text.to_string()));
        self.lines(Face::Bold, size, 0.0, text, block);
    }

    /// A section heading that is never left alone at the bottom of a page.
    pub fn heading(&mut self, size: f32, text: &str) {
        self.keep(size * LEADING * 4.0);
        self.gap(size * 0.6);
        let block = self.block(Block::Heading(2, text.to_string()));
        self.lines(Face::Bold, size, 0.0, text, block);
        self.gap(2.0);
    }

    /// "Label: value" with the label in bold, the value wrapped beside it: one paragraph.
    pub fn fact(&mut self, label: &str, value: &str) {
        let size = 10.0;
        let label_w = 130.0;
        let block = self.block(Block::Paragraph);
        let lines = wrap(Face::Regular, size, RIGHT - LEFT - label_w, value);
        for (i, line) in lines.into_iter().enumerate() {
            self.keep(size * LEADING);
            self.y -= size * LEADING;
            let y = self.y + size * 0.3;
            if i == 0 {
                self.current.push(Mark::Line { face: Face::Bold, size, x: LEFT, y, text: label.to_string(), block });
            }
            self.current.push(Mark::Line { face: Face::Regular, size, x: LEFT + label_w, y, text: line, block });
        }
    }

    pub fn rule(&mut self) {
        self.keep(8.0);
        self.y -= 4.0;
        self.current.push(Mark::Rule { y: self.y });
        self.y -= 4.0;
    }

    /// The finished file: every page gets the running header and footer with "page i of n"; `lang` is the
    /// document's language (its labels'), which PDF/UA asks for.
    pub fn finish(mut self, title: &str, lang: &str, running: &Running) -> Result<Vec<u8>, String> {
        self.new_page();
        let configuration = ConfigurationBuilder::new()
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|e| format!("PDF/UA configuration: {e:?}"))?;
        let mut pdf = PdfDocument::new_with(SerializeSettings { configuration, ..SerializeSettings::default() });
        let mut spans: Vec<Vec<Identifier>> = self.blocks.iter().map(|_| Vec::new()).collect();
        // Each heading's place (page, point above its first line), for the outline.
        let mut outline = Outline::new();
        let count = self.pages.len();
        for (i, marks) in self.pages.iter().enumerate() {
            let mut page = pdf.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?);
            let mut surface = page.surface();
            for mark in marks {
                match mark {
                    Mark::Line { face, size, x, y, text, block } => {
                        if let (Block::Heading(_, heading), true) = (&self.blocks[*block], spans[*block].is_empty()) {
                            let at = XyzDestination::new(i, Point::from_xy(LEFT, top(y + size * 1.5)));
                            outline.push_child(OutlineNode::new(heading.clone(), at));
                        }
                        spans[*block].extend(draw_tagged(&mut surface, *face, *size, *x, *y, text));
                    }
                    Mark::Rule { y } => as_artifact(&mut surface, ArtifactType::Layout, |s| line(s, *y, 0.7)),
                }
            }
            running_parts(&mut surface, running, i + 1, count);
            surface.finish();
            page.finish();
        }
        let mut tree = TagTree::new();
        for (block, ids) in self.blocks.into_iter().zip(spans) {
            if ids.is_empty() {
                continue;
            }
            let kind: TagKind = match block {
                Block::Heading(level, text) => Tag::Hn(std::num::NonZeroU16::new(level).ok_or("heading level")?, Some(text)).into(),
                Block::Paragraph => Tag::P.into(),
            };
            let mut group = TagGroup::new(kind);
            for id in ids {
                group.push(id);
            }
            tree.push(group);
        }
        pdf.set_tag_tree(tree);
        pdf.set_outline(outline);
        pdf.set_metadata(Metadata::new().title(title.to_string()).language(lang.to_string()).producer("Liaison Desk".to_string()));
        pdf.finish().map_err(|e| format!("{e:?}"))
    }
}

/// Draws `text` with its baseline at `y` (from the bottom), run by run in the font of each run's script, each
/// run a tagged span (its language said, its text kept as written for copying and screen readers).
fn draw_tagged(surface: &mut Surface, face: Face, size: f32, x: f32, y: f32, text: &str) -> Vec<Identifier> {
    let mut ids = Vec::new();
    let mut x = x;
    for (script, run) in runs(text) {
        if run.trim().is_empty() {
            x += shaper(script, face).width(size, &run);
            continue;
        }
        let tag = SpanTag { lang: script.lang(), actual_text: (script == Script::Devanagari).then_some(run.as_str()), ..SpanTag::empty() };
        ids.push(surface.start_tagged(ContentTag::Span(tag)));
        x += draw(surface, script, face, size, x, y, &run);
        surface.end_tagged();
    }
    ids
}

/// Draws one run untagged (inside an artifact or a span the caller opened); returns its width.
fn draw(surface: &mut Surface, script: Script, face: Face, size: f32, x: f32, y: f32, run: &str) -> f32 {
    let s = shaper(script, face);
    surface.draw_text(Point::from_xy(x, top(y)), s.font.clone(), size, run, false, TextDirection::Auto);
    s.width(size, run)
}

/// Text outside the document's structure (running parts), in whatever scripts it holds.
fn draw_plain(surface: &mut Surface, face: Face, size: f32, x: f32, y: f32, text: &str) {
    let mut x = x;
    for (script, run) in runs(text) {
        x += draw(surface, script, face, size, x, y, &run);
    }
}

fn as_artifact(surface: &mut Surface, kind: ArtifactType, draw: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    draw(surface);
    surface.end_tagged();
}

/// A horizontal line across the text width at `y`, in grey `gray` (0 black, 1 white).
fn line(surface: &mut Surface, y: f32, gray: f32) {
    let mut path = PathBuilder::new();
    path.move_to(LEFT, top(y));
    path.line_to(RIGHT, top(y));
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { paint: luma::Color::new((gray * 255.0) as u8).into(), width: 0.5, ..Stroke::default() }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
}

/// The marking as TLP 2.0 asks: coloured text on black. Returns its width.
fn marking(surface: &mut Surface, running: &Running, x: f32, y: f32) -> f32 {
    let size = 10.0;
    let w = width(Face::Bold, size, &running.marking) + 12.0;
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(x, top(y + size + 4.0), w, size + 8.0) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
    let (r, g, b) = running.marking_colour;
    let channel = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    surface.set_fill(Some(Fill { paint: rgb::Color::new(channel(r), channel(g), channel(b)).into(), ..Fill::default() }));
    draw_plain(surface, Face::Bold, size, x + 6.0, y, &running.marking);
    surface.set_fill(Some(Fill::default()));
    w
}

fn running_parts(surface: &mut Surface, running: &Running, page: usize, count: usize) {
    let head_y = PAGE_H - 48.0;
    as_artifact(surface, ArtifactType::Header, |s| {
        let used = marking(s, running, LEFT, head_y) + 24.0;
        let header = shorten(Face::Regular, 9.0, RIGHT - LEFT - used, &running.header);
        draw_plain(s, Face::Regular, 9.0, RIGHT - width(Face::Regular, 9.0, &header), head_y, &header);
        line(s, head_y - 12.0, 0.5);
    });
    let foot_y = 36.0;
    let pages = tr!(running.locale, "pdf-page", page = page as i64, count = count as i64);
    as_artifact(surface, ArtifactType::Footer, |s| {
        line(s, foot_y + 18.0, 0.5);
        let used = marking(s, running, LEFT, foot_y) + 12.0;
        let room = RIGHT - LEFT - used - width(Face::Regular, 9.0, &pages) - 24.0;
        draw_plain(s, Face::Regular, 8.0, LEFT + used, foot_y, &shorten(Face::Regular, 8.0, room, &running.footer));
    });
    as_artifact(surface, ArtifactType::PageNumber, |s| {
        draw_plain(s, Face::Regular, 9.0, RIGHT - width(Face::Regular, 9.0, &pages), foot_y, &pages);
    });
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
    fn each_script_gets_its_font_and_neutral_characters_stay_in_their_run() {
        let got = runs("Rajesh (राजेश शर्मा), Société Générale");
        let scripts: Vec<Script> = got.iter().map(|r| r.0).collect();
        assert_eq!(scripts, vec![Script::Latin, Script::Devanagari, Script::Latin]);
        assert!(got[1].1.starts_with("राजेश शर्मा"), "{got:?}");
        assert_eq!(got.iter().map(|r| r.1.as_str()).collect::<String>(), "Rajesh (राजेश शर्मा), Société Générale", "nothing lost");
        assert!(width(Face::Regular, 10.0, "राजेश") > 10.0, "Devanagari measured with its own font");
        assert!(width(Face::Bold, 10.0, "Société") > width(Face::Regular, 10.0, "Société"));
    }

    #[test]
    fn a_shortened_header_ends_with_an_ellipsis_after_a_whole_word() {
        let title = "LD-2026-000001 · Fentanyl precursor shipment traced through the Port of Vancouver and beyond";
        let short = shorten(Face::Regular, 9.0, 200.0, title);
        assert!(short.ends_with('…') && width(Face::Regular, 9.0, &short) <= 200.0, "{short}");
        let kept = short.trim_end_matches('…');
        assert!(title.starts_with(kept) && title[kept.len()..].starts_with(' '), "cut between words: {short}");
        assert_eq!(shorten(Face::Regular, 9.0, 500.0, "Short"), "Short");
    }

    #[test]
    fn a_long_document_is_valid_pdf_ua_with_every_page_numbered() {
        let mut doc = Document::new();
        doc.title(16.0, "राजेश शर्मा · Société Générale");
        doc.heading(12.0, "Summary");
        for i in 0..200 {
            doc.text(Face::Regular, 10.0, 0.0, &format!("Line {i} of a long report"));
        }
        doc.rule();
        doc.fact("Lead officer", "Priya Sharma");
        let running = Running {
            marking: "TLP:AMBER".into(),
            marking_colour: (1.0, 0.75, 0.0),
            header: "LD-2026-000001".into(),
            footer: "Printed by test".into(),
            locale: crate::i18n::Locale::En,
        };
        // krilla refuses to finish a document that breaks PDF/UA-1 (untagged content, no language or title).
        let bytes = doc.finish("Report", "en", &running).expect("valid PDF/UA-1");
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
