//! Turning a file's bytes into text: UTF-8 with or without a BOM, else GB18030/GBK as Excel
//! saves CSV on Chinese Windows.

use super::problem::{EncodingError, ImportError};

/// Turns the file's bytes into text: UTF-8 (BOM optional), else GB18030 (a superset of GBK).
/// Bytes given by value that are UTF-8 become the text without a copy: a large file is held
/// once, not twice.
pub fn decode(bytes: impl Into<Vec<u8>>) -> Result<String, ImportError> {
    let mut bytes = bytes.into();
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        return String::from_utf8(bytes).map_err(|e| {
            ImportError::Encoding(EncodingError::BadUtf8 {
                offset: e.utf8_error().valid_up_to() + 3,
            })
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::Encoding(EncodingError::Utf16));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
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
        assert_eq!(decode(gbk.as_ref()).unwrap(), text);
        assert_eq!(decode(format!("\u{feff}{text}").as_bytes()).unwrap(), text);
        assert!(matches!(
            decode(&b"\xFF\xFEi\0d\0"[..]),
            Err(ImportError::Encoding(_))
        ));
        assert!(matches!(
            decode(&b"\x81\x20\x81"[..]),
            Err(ImportError::Encoding(_))
        ));
    }
}
