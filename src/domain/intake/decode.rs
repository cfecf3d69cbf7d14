//! Turning a file's bytes into text: UTF-8 with or without a BOM, else GB18030/GBK as Excel
//! saves CSV on Chinese Windows.

use super::problem::{EncodingError, ImportError};

/// Turns the file's bytes into text: UTF-8 (BOM optional), else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(str::to_string).map_err(|e| {
            ImportError::Encoding(EncodingError::BadUtf8 {
                offset: e.valid_up_to() + 3,
            })
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::Encoding(EncodingError::Utf16));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors || text.contains('\0') {
        return Err(ImportError::Encoding(EncodingError::Unknown));
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_decode_from_utf8_with_bom_and_gb18030() {
        let text = "id,name,category,unit\nA001,程艳,专职,管委会办公室\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gbk).unwrap(), text);
        assert_eq!(decode(format!("\u{feff}{text}").as_bytes()).unwrap(), text);
        assert!(matches!(
            decode(b"\xFF\xFEi\0d\0"),
            Err(ImportError::Encoding(_))
        ));
        assert!(matches!(
            decode(b"\x81\x20\x81"),
            Err(ImportError::Encoding(_))
        ));
    }
}
