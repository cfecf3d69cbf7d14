//! The fixed parts of the Word package around its body: the content types, the relationships,
//! the styles in the fonts and sizes of a government document in each language, the font table
//! (naming the fallback of each font an office may not have) and the settings.

use super::xml::{Page, escape};
use crate::domain::Lang;

/// Every part's namespace of WordprocessingML.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A4 with the margins of a government document (GB/T 9704: top 37 mm, bottom 35 mm, left
/// 28 mm, right 26 mm), in twentieths of a point.
pub const A4: Page = Page {
    width: 11906,
    height: 16838,
    margins: [2098, 1984, 1587, 1474],
};

/// The text width between the margins: what a table's columns add up to.
pub const TEXT_WIDTH: u32 = 11906 - 1587 - 1474;

/// A typeface: the font of Chinese text, the font of Latin text and digits, the size in half
/// points, and whether it is bold.
struct Font {
    east_asia: &'static str,
    latin: &'static str,
    half_points: u32,
    bold: bool,
}

/// The look of the document in one language: a typeface and paragraph spacing per style.
struct Look {
    body: Font,
    title: Font,
    heading: Font,
    table: Font,
    note: Font,
    /// A body paragraph's spacing and indent (`w:spacing`, `w:ind`).
    body_spacing: &'static str,
    /// A heading's spacing, keeping it on the page of what follows.
    heading_spacing: &'static str,
    title_spacing: &'static str,
}

/// A Chinese government document: 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt line, its first
/// line indented two characters; headings 黑体 三号; the title 方正小标宋简体 二号 (22 pt).
/// Tables in 五号 (10.5 pt), so that nine columns fit the text width.
static ZH: Look = Look {
    body: Font {
        east_asia: "仿宋_GB2312",
        latin: "Times New Roman",
        half_points: 32,
        bold: false,
    },
    title: Font {
        east_asia: "方正小标宋简体",
        latin: "Times New Roman",
        half_points: 44,
        bold: false,
    },
    heading: Font {
        east_asia: "黑体",
        latin: "Times New Roman",
        half_points: 32,
        bold: false,
    },
    table: Font {
        east_asia: "仿宋_GB2312",
        latin: "Times New Roman",
        half_points: 21,
        bold: false,
    },
    note: Font {
        east_asia: "仿宋_GB2312",
        latin: "Times New Roman",
        half_points: 24,
        bold: false,
    },
    body_spacing: "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/>\
                   <w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>",
    // A heading keeps a little space from the table above it.
    heading_spacing: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"0\" w:line=\"560\" \
                      w:lineRule=\"exact\"/>",
    title_spacing: "<w:spacing w:before=\"0\" w:after=\"560\" w:line=\"240\" \
                    w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
};

/// Its English twin: Times New Roman 12 pt, headings and title in Arial, tables in 9 pt.
static EN: Look = Look {
    body: Font {
        east_asia: "宋体",
        latin: "Times New Roman",
        half_points: 24,
        bold: false,
    },
    title: Font {
        east_asia: "黑体",
        latin: "Arial",
        half_points: 32,
        bold: true,
    },
    heading: Font {
        east_asia: "黑体",
        latin: "Arial",
        half_points: 26,
        bold: true,
    },
    table: Font {
        east_asia: "宋体",
        latin: "Times New Roman",
        half_points: 18,
        bold: false,
    },
    note: Font {
        east_asia: "宋体",
        latin: "Times New Roman",
        half_points: 18,
        bold: false,
    },
    body_spacing: "<w:spacing w:before=\"0\" w:after=\"160\" w:line=\"276\" w:lineRule=\"auto\"/>",
    heading_spacing: "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\" w:line=\"240\" \
                      w:lineRule=\"auto\"/>",
    title_spacing: "<w:spacing w:before=\"0\" w:after=\"360\" w:line=\"240\" \
                    w:lineRule=\"auto\"/>",
};

fn look(lang: Lang) -> &'static Look {
    lang.of((&ZH, &EN))
}

/// The size of a table's text in `lang`, in half points.
pub fn table_half_points(lang: Lang) -> u32 {
    look(lang).table.half_points
}

/// A style's run properties: its fonts, boldness and size.
fn run(font: &Font) -> String {
    let Font {
        east_asia,
        latin,
        half_points,
        bold,
    } = font;
    let bold = if *bold { "<w:b/><w:bCs/>" } else { "" };
    format!(
        "<w:rPr><w:rFonts w:ascii=\"{latin}\" w:hAnsi=\"{latin}\" w:eastAsia=\"{east_asia}\" \
         w:cs=\"{latin}\"/>{bold}<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>\
         </w:rPr>"
    )
}

/// A paragraph style based on Normal: its id, its name, its paragraph and run properties.
fn paragraph_style(id: &str, name: &str, paragraph: &str, font: &Font) -> String {
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr>{paragraph}</w:pPr>{}</w:style>",
        run(font)
    )
}

/// `word/styles.xml`: Normal (the body), Title, Heading1 (so that Word's navigation pane lists
/// the sections), TableText and Note (the line naming the audit record).
pub fn styles(lang: Lang) -> String {
    let l = look(lang);
    let flat = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>\
                <w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    let mut xml = format!(
        "{DECLARATION}<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault>{}</w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>\
         </w:pPr></w:pPrDefault></w:docDefaults>",
        run(&l.body).replace(
            "</w:rPr>",
            "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr>"
        )
    );
    xml += &format!(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl/>{}<w:jc w:val=\"both\"/>\
         </w:pPr>{}</w:style>",
        l.body_spacing,
        run(&l.body)
    );
    xml += &paragraph_style(
        "Title",
        "Title",
        &format!("{}<w:jc w:val=\"center\"/>", l.title_spacing),
        &l.title,
    );
    xml += &paragraph_style(
        "Heading1",
        "heading 1",
        &format!("{}<w:outlineLvl w:val=\"0\"/>", l.heading_spacing),
        &l.heading,
    );
    xml += &paragraph_style("TableText", "Table Text", flat, &l.table);
    xml += &paragraph_style(
        "Note",
        "Note",
        "<w:spacing w:before=\"240\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
        &l.note,
    );
    xml + "</w:styles>"
}

/// Fonts an office may not have, and what stands in for them: 仿宋_GB2312 is 仿宋 on a newer
/// Windows, and 方正小标宋简体 is a commercial font often missing, for which 宋体 serves.
const FALLBACKS: [(&str, &str); 2] = [("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体")];

/// `word/fontTable.xml`: every font the styles name, a Chinese one with its character set
/// (GB2312) and fallback.
pub fn font_table(lang: Lang) -> String {
    let l = look(lang);
    let mut names: Vec<&str> = Vec::new();
    for f in [&l.body, &l.title, &l.heading, &l.table, &l.note] {
        for name in [f.east_asia, f.latin] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let mut xml = format!("{DECLARATION}<w:fonts xmlns:w=\"{W}\">");
    for name in names {
        let alt = FALLBACKS
            .iter()
            .find(|(font, _)| *font == name)
            .map_or_else(String::new, |(_, alt)| {
                format!("<w:altName w:val=\"{alt}\"/>")
            });
        let charset = if name.is_ascii() {
            "<w:charset w:val=\"00\"/>"
        } else {
            "<w:charset w:val=\"86\"/>"
        };
        xml += &format!(
            "<w:font w:name=\"{name}\">{alt}{charset}<w:family w:val=\"auto\"/>\
             <w:pitch w:val=\"variable\"/></w:font>"
        );
    }
    xml + "</w:fonts>"
}

/// `word/settings.xml`: Word's current layout rules (no compatibility mode), and Chinese
/// punctuation compressed as Word does for a Chinese document.
pub fn settings() -> String {
    format!(
        "{DECLARATION}<w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat>\
         <w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>"
    )
}

/// `docProps/core.xml`: the title shown in a file's properties.
pub fn core(title: &str) -> String {
    format!(
        "{DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title>\
         <dc:creator>counsel-log</dc:creator></cp:coreProperties>",
        escape(title)
    )
}

/// `word/document.xml` around its body.
pub fn document(body: &str) -> String {
    format!(
        "{DECLARATION}<w:document xmlns:w=\"{W}\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:body>{body}</w:body></w:document>"
    )
}

const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// `[Content_Types].xml`: what each part is.
pub fn content_types() -> String {
    format!(
        "{DECLARATION}\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" \
         ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{MAIN}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{MAIN}.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{MAIN}.settings+xml\"/>\
         <Override PartName=\"/word/fontTable.xml\" ContentType=\"{MAIN}.fontTable+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" \
         ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>"
    )
}

/// `_rels/.rels`: the package's main document and its properties.
pub fn package_relationships() -> String {
    format!(
        "{DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rId1\" Type=\"{OFFICE}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{RELATIONSHIPS}/metadata/core-properties\" \
         Target=\"docProps/core.xml\"/></Relationships>"
    )
}

/// `word/_rels/document.xml.rels`: the document's styles, settings and fonts.
pub fn document_relationships() -> String {
    format!(
        "{DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rId1\" Type=\"{OFFICE}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{OFFICE}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{OFFICE}/fontTable\" Target=\"fontTable.xml\"/>\
         </Relationships>"
    )
}
