//! The body of the Word document as WordprocessingML: paragraphs in the document's named
//! styles and real tables (`w:tbl`), every text escaped for XML.

use crate::domain::strings::printable;

/// Text as the content of an XML element or attribute. Control characters are written as
/// `\u{…}` first, as every other output shows them (XML 1.0 cannot hold most of them, and Word
/// refuses a document that does); the two non-characters XML forbids become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// How a paragraph sits on its line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    /// The transitional value every Word since 2007 reads (`start`/`end` are newer).
    fn code(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

/// A table: its column widths (twentieths of a point, adding up to the text width), its
/// heading row, its rows and its total row, shown bold.
pub struct Table<'a> {
    pub widths: &'a [u32],
    pub header: &'a [String],
    pub rows: &'a [Vec<String>],
    pub total: Option<&'a [String]>,
}

/// A `w:body` being written, top to bottom.
#[derive(Default)]
pub struct Body {
    xml: String,
}

impl Body {
    /// A paragraph in the named style (an id of the styles part).
    pub fn paragraph(&mut self, style: &str, text: &str) {
        self.xml += &paragraph(style, None, text, false);
    }

    /// A table with ruled cells, its heading row repeated on every page it spans.
    pub fn table(&mut self, table: &Table<'_>) {
        self.xml += "<w:tbl><w:tblPr>";
        let width: u32 = table.widths.iter().sum();
        self.xml += &format!("<w:tblW w:w=\"{width}\" w:type=\"dxa\"/>");
        // Borders and margins set on the table itself, not through a table style, which not
        // every word processor applies.
        self.xml += "<w:jc w:val=\"center\"/><w:tblBorders>";
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            self.xml += &format!(
                "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
            );
        }
        self.xml += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>\
                     <w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/>\
                     </w:tblCellMar>";
        self.xml += "</w:tblPr><w:tblGrid>";
        for w in table.widths {
            self.xml += &format!("<w:gridCol w:w=\"{w}\"/>");
        }
        self.xml += "</w:tblGrid>";
        self.row(table.widths, table.header, RowKind::Header);
        for cells in table.rows {
            self.row(table.widths, cells, RowKind::Plain);
        }
        if let Some(total) = table.total {
            self.row(table.widths, total, RowKind::Total);
        }
        self.xml += "</w:tbl>";
    }

    /// One table row: the first cell on the left, figures on the right, headings centred.
    fn row(&mut self, widths: &[u32], cells: &[String], kind: RowKind) {
        self.xml += "<w:tr><w:trPr><w:cantSplit/>";
        if kind == RowKind::Header {
            self.xml += "<w:tblHeader/>";
        }
        self.xml += "</w:trPr>";
        for (n, (width, text)) in widths.iter().zip(cells).enumerate() {
            let align = match (kind, n) {
                (RowKind::Header, _) => Align::Center,
                (_, 0) => Align::Left,
                _ => Align::Right,
            };
            self.xml += &format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>\
                 <w:vAlign w:val=\"center\"/></w:tcPr>{}</w:tc>",
                paragraph("TableText", Some(align), text, kind != RowKind::Plain)
            );
        }
        self.xml += "</w:tr>";
    }

    /// The body, closed by the section: its page size and margins, in twentieths of a point.
    pub fn finish(self, page: &Page) -> String {
        let Page {
            width,
            height,
            margins: [top, bottom, left, right],
        } = page;
        format!(
            "{}<w:sectPr><w:pgSz w:w=\"{width}\" w:h=\"{height}\"/><w:pgMar w:top=\"{top}\" \
             w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" w:header=\"851\" \
             w:footer=\"992\" w:gutter=\"0\"/><w:cols w:space=\"425\"/></w:sectPr>",
            self.xml
        )
    }
}

/// A page: width and height, then the margins top, bottom, left and right.
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub margins: [u32; 4],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Header,
    Plain,
    Total,
}

/// A paragraph of one run. An empty text still gets its run, so a blank cell keeps its height.
fn paragraph(style: &str, align: Option<Align>, text: &str, bold: bool) -> String {
    let jc = align.map_or_else(String::new, |a| format!("<w:jc w:val=\"{}\"/>", a.code()));
    let run_props = if bold {
        "<w:rPr><w:b/><w:bCs/></w:rPr>"
    } else {
        ""
    };
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{jc}</w:pPr><w:r>{run_props}\
         <w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_never_reach_the_xml() {
        assert_eq!(
            escape("A&B <i>\"x\" 'y'\u{7}\n\u{FFFF}"),
            "A&amp;B &lt;i&gt;&quot;x&quot; &apos;y&apos;\\u{7}\\u{a}\u{FFFD}"
        );
    }

    #[test]
    fn a_table_is_a_real_table_with_its_total_in_bold() {
        let mut body = Body::default();
        let header = ["名称".to_string(), "件次".to_string()];
        let rows = [vec!["A & B".to_string(), "3".to_string()]];
        let total = ["合计".to_string(), "3".to_string()];
        body.table(&Table {
            widths: &[3000, 1000],
            header: &header,
            rows: &rows,
            total: Some(&total),
        });
        let xml = body.xml;
        assert_eq!(xml.matches("<w:tr>").count(), 3);
        assert!(xml.contains("A &amp; B"));
        assert!(xml.contains("<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">合计"));
        assert!(!xml.contains("<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">A"));
    }
}
