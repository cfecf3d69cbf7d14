//! `report --format docx`: the Word report the real binary writes, unzipped and its XML parsed
//! (the paragraph, the figures and real tables, compared with `summary` and the Markdown
//! tables), and, where LibreOffice is installed, converted by it to PDF.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::{Env, json};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The parts of a `.docx`, by name, as text.
fn unzip(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("a .docx is a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        part.read_to_string(&mut text).expect("every part is UTF-8");
        parts.insert(part.name().to_string(), text);
    }
    parts
}

/// A row of a table: its cells' text, and whether its text is bold.
#[derive(Debug)]
struct Row {
    cells: Vec<String>,
    bold: bool,
}

/// What a body holds, top to bottom: paragraphs (their text) and tables.
#[derive(Debug)]
enum Block {
    Paragraph(String),
    Table(Vec<Row>),
}

/// Parses an XML part, failing on anything malformed or left open; gives its body's blocks
/// when it is the document.
fn parse(xml: &str) -> Vec<Block> {
    let mut reader = Reader::from_str(xml);
    let (mut blocks, mut depth) = (Vec::new(), 0_usize);
    let (mut text, mut in_text) = (String::new(), false);
    let mut rows: Option<Vec<Row>> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"w:tbl" => rows = Some(Vec::new()),
                    b"w:tr" => rows.as_mut().unwrap().push(Row {
                        cells: Vec::new(),
                        bold: false,
                    }),
                    b"w:tc" => rows
                        .as_mut()
                        .unwrap()
                        .last_mut()
                        .unwrap()
                        .cells
                        .push(String::new()),
                    b"w:t" => in_text = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if e.name().as_ref() == b"w:b"
                    && let Some(row) = rows.as_mut().and_then(|r| r.last_mut())
                {
                    row.bold = true;
                }
            }
            Event::End(e) => {
                depth -= 1;
                match e.name().as_ref() {
                    b"w:t" => in_text = false,
                    b"w:p" if rows.is_none() => {
                        blocks.push(Block::Paragraph(std::mem::take(&mut text)))
                    }
                    b"w:tbl" => blocks.push(Block::Table(rows.take().unwrap())),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let t = t.decode().unwrap();
                match rows.as_mut().and_then(|r| r.last_mut()) {
                    Some(row) => row.cells.last_mut().unwrap().push_str(&t),
                    None => text.push_str(&t),
                }
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.decode().unwrap().as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("an entity Word does not know: {other}"),
                };
                match rows.as_mut().and_then(|r| r.last_mut()) {
                    Some(row) => row.cells.last_mut().unwrap().push(c),
                    None => text.push(c),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element closed");
    blocks
}

/// The parts a Word processor needs, each well-formed; the document's blocks.
fn document(path: &Path) -> (BTreeMap<String, String>, Vec<Block>) {
    let parts = unzip(path);
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
    ] {
        assert!(parts.contains_key(name), "{name} in {:?}", parts.keys());
    }
    for (name, xml) in &parts {
        assert!(xml.starts_with("<?xml"), "{name}");
        parse(xml);
    }
    let blocks = parse(&parts["word/document.xml"]);
    (parts, blocks)
}

fn paragraphs(blocks: &[Block]) -> Vec<&str> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(blocks: &[Block]) -> Vec<&[Row]> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(rows) => Some(rows.as_slice()),
            Block::Paragraph(_) => None,
        })
        .collect()
}

/// The cells of a Markdown table as `report --format md` writes them (its title and rule
/// left out, bold marks removed).
fn markdown_cells(md: &str) -> Vec<Vec<String>> {
    md.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace("**", ""))
                .collect()
        })
        .collect()
}

#[test]
fn the_word_report_holds_the_paragraph_the_figures_and_real_tables() {
    let env = Env::new();
    env.import_demo();
    let args = [
        "report",
        "--period",
        "2024",
        "--format",
        "docx",
        "--out",
        "2024.docx",
    ];
    let said = env.ok_in("zh", &args);
    assert!(
        said.contains("已写入 Word 文档") && said.contains("2024.docx"),
        "{said}"
    );
    let (parts, blocks) = document(&env.path("2024.docx"));

    let texts = paragraphs(&blocks);
    assert_eq!(texts[0], "2024年法律顾问服务情况报告");
    let paragraph = env.ok_in("zh", &["summary", "--period", "2024"]);
    assert!(texts.contains(&paragraph.trim()), "{texts:?}");
    let summary = json(&env.ok_in("zh", &["summary", "--period", "2024", "--format", "json"]));
    let (items, hours) = (&summary["items"], &summary["hours"]);
    assert_eq!((items.as_u64(), hours.as_f64()), (Some(171), Some(432.3)));
    assert!(
        paragraph.contains(&format!("{items}件次，工作时长{hours}小时")),
        "{paragraph}"
    );

    // The participation table, then a table per grouping with the Markdown report's cells.
    let tables = tables(&blocks);
    assert_eq!(tables.len(), 5, "{tables:?}");
    assert!(parts["word/document.xml"].matches("<w:tbl>").count() == 5);
    for (table, by) in tables[1..]
        .iter()
        .zip(["category", "topic", "service", "department"])
    {
        let md = env.ok_in(
            "zh",
            &["report", "--period", "2024", "--by", by, "--format", "md"],
        );
        let expected = markdown_cells(&md);
        let cells: Vec<Vec<String>> = table.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(cells, expected, "{by}");
        let total = table.last().unwrap();
        assert!(total.bold && total.cells[0] == "合计", "{by}: {total:?}");
        assert_eq!(
            (total.cells[1].as_str(), total.cells[2].as_str()),
            ("171", "432.3")
        );
        assert!(table[1..table.len() - 1].iter().all(|r| !r.bold), "{by}");
    }
    let categories: Vec<&str> = tables[1][1..].iter().map(|r| r.cells[0].as_str()).collect();
    assert!(categories.contains(&"公职律师"), "{categories:?}");
    let participation = &tables[0];
    assert_eq!(participation[0].cells[0], "类别");
    assert_eq!(
        participation.len() - 1,
        summary["advisors"]["by_category"].as_array().unwrap().len()
    );

    // The headings, and the audit record it was made from at the end.
    assert!(
        texts.contains(&"一、总体情况") && texts.contains(&"二、按类别"),
        "{texts:?}"
    );
    let table = env.ok_in("zh", &["report", "--period", "2024"]);
    assert_eq!(texts.last(), table.lines().last().as_ref(), "{texts:?}");
    assert!(texts.last().unwrap().starts_with("依据审计记录第 "));
}

#[test]
fn a_chinese_report_is_set_as_a_government_document() {
    let env = Env::new();
    env.import_demo();
    env.ok_in("zh", &["report", "--period", "2024", "--out", "r.docx"]);
    let (parts, _) = document(&env.path("r.docx"));
    let styles = &parts["word/styles.xml"];
    // Body 仿宋_GB2312 三号 (32 half points), headings 黑体, the title 方正小标宋简体 二号.
    assert!(
        styles
            .contains("w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\"/><w:sz w:val=\"32\"/>")
    );
    assert!(styles.contains("w:eastAsia=\"黑体\""));
    assert!(
        styles.contains(
            "w:eastAsia=\"方正小标宋简体\" w:cs=\"Times New Roman\"/><w:sz w:val=\"44\"/>"
        )
    );
    let fonts = &parts["word/fontTable.xml"];
    assert!(fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"));
    assert!(fonts.contains("<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/>"));
    // A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
    let document = &parts["word/document.xml"];
    assert!(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(document.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
}

#[test]
fn an_english_report_says_it_in_english_in_times_and_arial() {
    let env = Env::new();
    env.import_demo();
    let said = env.ok_in("en", &["report", "--period", "2024", "--out", "r.docx"]);
    assert!(said.contains("Wrote the Word document"), "{said}");
    let (parts, blocks) = document(&env.path("r.docx"));
    let texts = paragraphs(&blocks);
    assert_eq!(texts[0], "Legal advisory services, 2024");
    let paragraph = env.ok_in("en", &["summary", "--period", "2024"]);
    assert!(texts.contains(&paragraph.trim()), "{texts:?}");
    assert!(paragraph.contains("171 legal service items over 432.3 working hours"));
    assert!(texts.contains(&"2. By category"), "{texts:?}");
    assert_eq!(tables(&blocks)[1].last().unwrap().cells[0], "Total");
    let styles = &parts["word/styles.xml"];
    assert!(styles.contains("w:ascii=\"Times New Roman\"") && styles.contains("w:ascii=\"Arial\""));
    assert!(styles.contains("<w:sz w:val=\"24\"/>"), "12 pt body");
}

#[test]
fn markup_in_a_department_is_text_in_the_document() {
    let env = Env::new();
    env.import_demo();
    let department = "R&D <\"法务\"> 'x'";
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        department,
        "--title",
        "a & b",
        "--date",
        "2024-05-06",
    ]);
    env.ok(&["report", "--period", "2024", "--out", "r.docx"]);
    let (_, blocks) = document(&env.path("r.docx"));
    let departments = tables(&blocks)[4];
    assert!(
        departments.iter().any(|r| r.cells[0] == department),
        "{departments:?}"
    );
}

#[test]
fn a_word_document_is_never_printed() {
    let env = Env::new();
    env.import_demo();
    for out in [
        &["--format", "docx"][..],
        &["--format", "docx", "--out", "-"],
    ] {
        let output = env.run_in("zh", &[&["report", "--period", "2024"], out].concat());
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--out 2024.docx"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    assert!(!env.path("-").exists());
}

/// LibreOffice opens the report and converts it, where it is installed; skipped elsewhere.
#[test]
fn libreoffice_converts_the_report_to_pdf() {
    let Ok(which) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        eprintln!("soffice is not installed: the conversion is not tried");
        return;
    };
    assert!(which.status.success());
    let env = Env::new();
    env.import_demo();
    for (lang, name) in [("zh", "zh.docx"), ("en", "en.docx")] {
        env.ok_in(lang, &["report", "--period", "2024", "--out", name]);
    }
    let profile = format!(
        "-env:UserInstallation=file://{}",
        env.path("lo-profile").display()
    );
    let out = std::process::Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(env.path("pdf"))
        .args([env.path("zh.docx"), env.path("en.docx")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["zh.pdf", "en.pdf"] {
        let pdf = std::fs::read(env.path("pdf").join(name)).unwrap_or_default();
        assert!(
            pdf.starts_with(b"%PDF"),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
