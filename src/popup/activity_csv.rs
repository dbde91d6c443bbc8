//! The popup's "Export CSV" of recent activity: pure text building, tested natively.
//!
//! RFC 4180 quoting, CRLF line ends and a UTF-8 byte-order mark (so spreadsheet apps read
//! accented names correctly). Cells come from Fetcher pages and Ashby, so a cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
//! leading apostrophe (OWASP's CSV-injection advice).

use crate::messages::ActivityItem;
use crate::sorting::SortedMap;
use crate::text;
use crate::upload::UploadOrigin;

/// The whole file: header, then one row per item (in the given order).
pub fn activity_csv(items: &[ActivityItem], search_titles: &SortedMap<String>) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, text::ACTIVITY_CSV_HEADER.iter().copied());
    for item in items {
        let record = &item.record;
        let trigger = match record.origin {
            UploadOrigin::Manual => text::CSV_MANUAL.to_owned(),
            UploadOrigin::Automatic { trigger } => text::trigger_label(trigger).to_owned(),
        };
        let search = search_titles
            .get(item.search_id.as_str())
            .cloned()
            .unwrap_or_else(|| item.search_id.to_string());
        let cells = [
            item.candidate_name.clone().unwrap_or_default(),
            search,
            record.job_title.clone(),
            trigger,
            iso8601_utc(record.at_ms.as_f64()),
            text::upload_result(record.status).to_owned(),
            record
                .error
                .as_ref()
                .map(text::upload_problem)
                .unwrap_or_default(),
            record
                .profile_url
                .clone()
                .map(String::from)
                .unwrap_or_default(),
        ];
        push_row(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// The file name for an export made at `now_ms`: `ashby-activity-YYYY-MM-DD.csv`.
pub fn file_name(now_ms: f64) -> String {
    let stamp = iso8601_utc(now_ms);
    // The date part (`YYYY-MM-DD`): ASCII, so `get` always finds it.
    let day = stamp.get(..10).unwrap_or(&stamp);
    format!("ashby-activity-{day}.csv")
}

fn push_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let row: Vec<String> = cells.map(cell).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// One cell: defused if a spreadsheet would run it, quoted if it holds a separator, a quote
/// or a line break.
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Epoch milliseconds as ISO-8601 UTC to the second, e.g. `2026-11-26T23:05:09Z`.
pub fn iso8601_utc(ms: f64) -> String {
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Trigger;
    use crate::upload::{UploadRecord, UploadStatus};

    fn item(name: Option<&str>, origin: UploadOrigin, status: UploadStatus) -> ActivityItem {
        ActivityItem {
            search_id: "search-1".into(),
            candidate_id: "cand-1".into(),
            candidate_name: name.map(str::to_owned),
            record: UploadRecord {
                status,
                job_id: "job-1".parse().unwrap(),
                job_title: "Senior Backend Engineer".into(),
                ashby_candidate_id: None,
                profile_url: None,
                application_id: None,
                reused: false,
                matched_by: None,
                at_ms: crate::domain::EpochMs::from_clock(1_767_603_600_000.0),
                error: None,
                origin,
            },
        }
    }

    #[test]
    fn times_are_iso_8601_utc() {
        assert_eq!(iso8601_utc(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601_utc(1_767_603_600_000.0), "2026-01-05T09:00:00Z");
        assert_eq!(iso8601_utc(951_782_399_999.0), "2000-02-28T23:59:59Z");
        assert_eq!(iso8601_utc(951_868_800_000.0), "2000-03-01T00:00:00Z");
        assert_eq!(iso8601_utc(-1_000.0), "1969-12-31T23:59:59Z");
        assert_eq!(
            file_name(1_767_603_600_000.0),
            "ashby-activity-2026-01-05.csv"
        );
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
        assert_eq!(cell("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("Zoë Ünal"), "Zoë Ünal");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1 555"), "'+1 555");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tcmd"), "'\tcmd");
        assert_eq!(cell("\rcmd"), "\"'\rcmd\"");
        assert_eq!(cell("a=b"), "a=b", "only a leading character is dangerous");
    }

    #[test]
    fn one_row_per_item_with_search_titles_and_triggers() {
        let mut failed = item(
            Some("=cmd|' /C calc'!A0"),
            UploadOrigin::Automatic {
                trigger: Trigger::OnReply,
            },
            UploadStatus::Failed,
        );
        failed.search_id = "search-2".into();
        failed.record.error = Some(crate::domain::UploadProblem::Legacy {
            text: "The job is closed, in Ashby.".into(),
        });
        let mut sent = item(
            Some("Lena Hoffmann"),
            UploadOrigin::Manual,
            UploadStatus::Sent,
        );
        sent.record.profile_url = Some("https://app.ashbyhq.com/candidates/c1".into());
        let unnamed = item(None, UploadOrigin::Manual, UploadStatus::Queued);
        let titles = SortedMap::of([("search-1".to_owned(), "Backend, Berlin".to_owned())]);
        let csv = activity_csv(&[sent, failed, unnamed], &titles);
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines,
            [
                "Candidate,Fetcher search,Ashby job,Trigger,Time (UTC),Result,Error,Ashby link",
                "Lena Hoffmann,\"Backend, Berlin\",Senior Backend Engineer,Manual,\
                 2026-01-05T09:00:00Z,Sent,,https://app.ashbyhq.com/candidates/c1",
                "'=cmd|' /C calc'!A0,search-2,Senior Backend Engineer,On reply,\
                 2026-01-05T09:00:00Z,Failed,\"The job is closed, in Ashby.\",",
                ",\"Backend, Berlin\",Senior Backend Engineer,Manual,2026-01-05T09:00:00Z,Queued,,",
                "",
            ]
        );
        assert_eq!(
            activity_csv(&[], &titles),
            "\u{feff}Candidate,Fetcher search,Ashby job,Trigger,Time (UTC),Result,Error,Ashby link\r\n"
        );
    }
}
