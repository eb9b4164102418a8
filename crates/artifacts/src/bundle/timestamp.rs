//! The one modification time every entry of a zip carries.

use super::error::BundleError;
use zip::DateTime;

/// The modification time written for every entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp(DateTime);

impl Default for Timestamp {
    /// 1980-01-01 00:00:00, the earliest time a zip can hold.
    fn default() -> Self {
        Self(DateTime::default())
    }
}

impl Timestamp {
    /// The time as the zip writer takes it.
    pub(super) fn date_time(self) -> DateTime {
        self.0
    }

    /// The time `seconds` after the Unix epoch, in UTC, as `SOURCE_DATE_EPOCH` gives it
    /// (reproducible-builds.org specification). Times before 1980 are clamped to 1980-01-01,
    /// as the specification asks for formats that cannot represent them; odd seconds round
    /// down, since zip times have a two-second resolution.
    pub fn from_unix(seconds: i64) -> Result<Self, BundleError> {
        const DAY: i64 = 86_400;
        let days = seconds.div_euclid(DAY);
        let time = seconds.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        if year < 1980 {
            return Ok(Self::default());
        }
        let out_of_range = || BundleError::Timestamp {
            value: seconds.to_string(),
        };
        let year = u16::try_from(year).map_err(|_| out_of_range())?;
        // The remainders are below 24, 60 and 60.
        let [hour, minute, second] =
            [time / 3600, time / 60 % 60, time % 60].map(|part| u8::try_from(part).unwrap_or(0));
        DateTime::from_date_and_time(year, month, day, hour, minute, second)
            .map(Self)
            .map_err(|_| out_of_range())
    }
}

/// Year, month and day of a day count since 1970-01-01 (Howard Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms", `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u8::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u8::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
