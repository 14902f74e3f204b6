//! Numbers for people: thousands separators and currency amounts, used by the console summary and
//! the report alike.

/// `value` rounded to `decimals` places with `,` between thousands: `12345.6` -> `12,345.6`.
/// Non-finite values print as `-`.
pub fn thousands(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "-".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3 + 1);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    // A value that rounds to zero prints without a sign.
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let sign = if negative { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount with two decimals after the currency: `$1,234.50`, or `EUR 1,234.50` for a code made of
/// letters.
pub fn money(value: f64, currency: &str) -> String {
    let gap = if currency.chars().last().is_some_and(char::is_alphabetic) { " " } else { "" };
    let amount = thousands(value, 2);
    match amount.strip_prefix('-') {
        Some(positive) => format!("-{currency}{gap}{positive}"),
        None => format!("{currency}{gap}{amount}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_three_with_the_sign_and_decimals() {
        assert_eq!(thousands(0.0, 0), "0");
        assert_eq!(thousands(999.4, 0), "999");
        assert_eq!(thousands(1_000.0, 0), "1,000");
        assert_eq!(thousands(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(thousands(-12_345.0, 1), "-12,345.0");
        assert_eq!(thousands(-0.2, 0), "0");
        assert_eq!(thousands(f64::NAN, 0), "-");
    }

    #[test]
    fn currency_symbols_and_codes() {
        assert_eq!(money(1_234.5, "$"), "$1,234.50");
        assert_eq!(money(1_234.5, "EUR"), "EUR 1,234.50");
        assert_eq!(money(-20.0, "€"), "-€20.00");
    }
}
