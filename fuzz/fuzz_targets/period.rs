//! Any text given as a period either parses to a non-empty span or is refused; never a panic.
#![no_main]

use counsel_log::domain::{Lang, Period};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(p) = Period::parse(text)
    {
        assert!(p.from <= p.to, "{text:?} gave {p:?}");
        let _ = (p.label(Lang::Zh), p.step(true), p.step(false));
        assert_eq!(
            Period::parse(&p.code()).map(|q| (q.from, q.to)),
            Ok((p.from, p.to))
        );
    }
});
