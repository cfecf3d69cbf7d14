//! Any text given as hours either parses to 1..=1440 whole minutes or is refused; never a panic.
#![no_main]

use counsel_log::domain::Minutes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(m) = Minutes::parse(text)
    {
        assert!((1..=1440).contains(&m.0), "{text:?} gave {m:?}");
        // Whatever parsed, its minutes written out parse back the same.
        assert_eq!(Minutes::parse(&format!("{}m", m.0)), Ok(m));
    }
});
