//! Subscriber lists as CSV, the format editors move them in and out with (spreadsheets, other
//! status pages). An export imports back unchanged: the columns an import does not know (state,
//! dates) are ignored, and a file that is just a column of email addresses imports too.
//!
//! Reading checks the shape of every row and reports every problem with its line, so a file is
//! fixed in one go; whether an address is valid is the subscription's own check.

use super::subscription::{SubscriberChannel, Topic};
use crate::Locale;
use chrono::{DateTime, SecondsFormat, Utc};

/// The most rows one import takes; larger lists are split into several files.
pub const MAX_IMPORT_ROWS: usize = 50_000;

/// The columns of an export, in order.
pub const EXPORT_COLUMNS: [&str; 10] = [
    "channel",
    "address",
    "topic",
    "components",
    "locale",
    "confirmed",
    "state",
    "source",
    "created_at",
    "last_delivery_at",
];

/// One subscriber read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line of the file it is on, for messages.
    pub line: u64,
    pub channel: SubscriberChannel,
    pub address: String,
    /// Telegram only.
    pub bot_token: Option<String>,
    /// `None`: everything.
    pub topic: Option<Topic>,
    /// Component keys; empty means all components.
    pub component_keys: Vec<String>,
    /// `None`: the organization's default.
    pub locale: Option<Locale>,
    /// `None`: as the import form says.
    pub confirmed: Option<bool>,
}

/// Why a line cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 0 for the file as a whole.
    pub line: u64,
    pub message: String,
}

impl ImportProblem {
    pub fn new(line: u64, message: impl Into<String>) -> ImportProblem {
        ImportProblem { line, message: message.into() }
    }
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            line => write!(f, "Line {line}: {}", self.message),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Channel,
    Address,
    BotToken,
    Topic,
    Components,
    Locale,
    Confirmed,
}

/// The column a header names; headers are compared without case, spaces or underscores, so
/// "Email Address" and "bot_token" are understood.
fn column_named(header: &str) -> Option<Column> {
    let name: String =
        header.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect();
    Some(match name.as_str() {
        "channel" | "type" => Column::Channel,
        "address" | "email" | "emailaddress" | "target" | "url" | "chatid" => Column::Address,
        "bottoken" => Column::BotToken,
        "topic" => Column::Topic,
        "components" | "component" => Column::Components,
        "locale" | "language" => Column::Locale,
        "confirmed" => Column::Confirmed,
        _ => return None,
    })
}

fn yes_or_no(value: &str) -> Option<Option<bool>> {
    match value.to_ascii_lowercase().as_str() {
        "" => Some(None),
        "yes" | "y" | "true" | "1" => Some(Some(true)),
        "no" | "n" | "false" | "0" => Some(Some(false)),
        // An export writes when the address was confirmed.
        other if DateTime::parse_from_rfc3339(other).is_ok() => Some(Some(true)),
        _ => None,
    }
}

/// Reads a subscriber list. Either every row, or every problem found (at most 100 listed).
pub fn read_subscriber_list(text: &str) -> Result<Vec<ImportRow>, Vec<ImportProblem>> {
    const MOST_PROBLEMS_LISTED: usize = 100;
    // Spreadsheets save UTF-8 with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    // The reader's own line count skips blank lines; counting newlines up to where the record's
    // text starts matches the line numbers an editor sees. Records come in order, so the count
    // carries on from the previous one.
    let bytes = text.as_bytes();
    let mut counted = (0usize, 1u64);
    let mut line_at = move |position: Option<&csv::Position>| {
        let Some(position) = position else { return 0 };
        let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        if start >= counted.0 {
            counted.1 += bytes[counted.0..start].iter().filter(|byte| **byte == b'\n').count() as u64;
            counted.0 = start;
        }
        counted.1
    };
    let mut records = reader.records().peekable();
    let mut columns: Vec<Option<Column>> = vec![Some(Column::Address)];
    if let Some(Ok(first)) = records.peek() {
        let named: Vec<Option<Column>> = first.iter().map(column_named).collect();
        if named.iter().flatten().count() > 0 {
            if !named.contains(&Some(Column::Address)) {
                return Err(vec![ImportProblem::new(
                    1,
                    "the header row has no address column (name one \"address\" or \"email\").",
                )]);
            }
            columns = named;
            records.next();
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = line_at(error.position());
                problems.push(ImportProblem::new(line, "this line is not valid CSV (check its quotes)."));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(vec![ImportProblem::new(
                0,
                format!("The file has more than {MAX_IMPORT_ROWS} subscribers; split it into several files."),
            )]);
        }
        match read_row(line, &columns, &record) {
            Ok(row) => rows.push(row),
            Err(problem) if problems.len() < MOST_PROBLEMS_LISTED => problems.push(problem),
            Err(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![ImportProblem::new(0, "The file lists no subscribers.")]);
    }
    Ok(rows)
}

fn read_row(line: u64, columns: &[Option<Column>], record: &csv::StringRecord) -> Result<ImportRow, ImportProblem> {
    let value = |wanted: Column| {
        columns.iter().zip(record.iter()).find(|(column, _)| **column == Some(wanted)).map_or("", |(_, value)| value)
    };
    let channel = match value(Column::Channel) {
        "" => SubscriberChannel::Email,
        text => text.to_ascii_lowercase().parse().map_err(|error| ImportProblem::new(line, format!("{error}.")))?,
    };
    let address = value(Column::Address);
    if address.is_empty() {
        return Err(ImportProblem::new(line, "the address is empty."));
    }
    if address.contains(['\n', '\r']) {
        return Err(ImportProblem::new(line, "the address runs over several lines; check for an unclosed quote."));
    }
    let topic = match value(Column::Topic) {
        "" => None,
        text => Some(text.to_ascii_lowercase().parse().map_err(|error| ImportProblem::new(line, format!("{error}.")))?),
    };
    let locale = match value(Column::Locale) {
        "" => None,
        text => Some(text.to_ascii_lowercase().parse().map_err(|error| ImportProblem::new(line, format!("{error}.")))?),
    };
    let confirmed = yes_or_no(value(Column::Confirmed))
        .ok_or_else(|| ImportProblem::new(line, "confirmed must be yes or no (or empty)."))?;
    let component_keys = value(Column::Components)
        .split(|c: char| c == ';' || c == ',' || c == '|' || c.is_whitespace())
        .filter(|key| !key.is_empty())
        .map(str::to_owned)
        .collect();
    let bot_token = Some(value(Column::BotToken)).filter(|token| !token.is_empty()).map(str::to_owned);
    Ok(ImportRow { line, channel, address: address.to_owned(), bot_token, topic, component_keys, locale, confirmed })
}

/// One subscriber as an export lists it. Secrets (webhook signing secrets, bot tokens) are
/// never exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub channel: SubscriberChannel,
    pub address: String,
    pub topic: Topic,
    pub component_keys: Vec<String>,
    pub locale: Locale,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// confirmed, unconfirmed or disabled
    pub state: &'static str,
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub last_delivery_at: Option<DateTime<Utc>>,
}

fn timestamp(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default()
}

/// Writes the export: a header row, then one row per subscriber.
pub fn write_subscriber_list<'a>(rows: impl IntoIterator<Item = &'a ExportRow>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail; a failure would only lose the row, never panic.
    let _ = writer.write_record(EXPORT_COLUMNS);
    for row in rows {
        let _ = writer.write_record([
            row.channel.as_str(),
            &row.address,
            row.topic.as_str(),
            &row.component_keys.join(";"),
            row.locale.as_str(),
            &timestamp(row.confirmed_at),
            row.state,
            &row.source,
            &timestamp(Some(row.created_at)),
            &timestamp(row.last_delivery_at),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn only_problems(text: &str) -> Vec<String> {
        read_subscriber_list(text).expect_err("problems").iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_plain_column_of_addresses_imports_as_email_subscribers() {
        let rows = read_subscriber_list("ana@example.com\n\nbo@example.com\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].address, "ana@example.com");
        assert_eq!(rows[0].channel, SubscriberChannel::Email);
        assert_eq!((rows[0].line, rows[1].line), (1, 3));
        assert_eq!((rows[1].topic, rows[1].locale, rows[1].confirmed), (None, None, None));
        assert!(rows[1].component_keys.is_empty());
    }

    #[test]
    fn headers_are_understood_in_any_order_case_and_spelling() {
        let text = "\u{feff}Email Address,Topic,Components,Language,Confirmed,Notes\n\
                    ana@example.com,incidents,\"api;web, db\",DE,yes,VIP\n";
        let rows = read_subscriber_list(text).unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.line, row.address.as_str()), (2, "ana@example.com"));
        assert_eq!(row.topic, Some(Topic::Incidents));
        assert_eq!(row.component_keys, ["api", "web", "db"]);
        assert_eq!(row.locale, Some(Locale::De));
        assert_eq!(row.confirmed, Some(true));
    }

    #[test]
    fn every_channel_can_be_named_and_telegram_brings_its_token() {
        let text = "channel,address,bot_token\n\
                    webhook,https://hooks.example.com/herald,\n\
                    SLACK,https://hooks.slack.com/services/T/B/x,\n\
                    telegram,-100123,123:abc\n";
        let rows = read_subscriber_list(text).unwrap();
        let channels: Vec<_> = rows.iter().map(|row| row.channel).collect();
        assert_eq!(channels, [SubscriberChannel::Webhook, SubscriberChannel::Slack, SubscriberChannel::Telegram]);
        assert_eq!(rows[0].bot_token, None);
        assert_eq!(rows[2].bot_token.as_deref(), Some("123:abc"));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = "address,channel,topic,locale,confirmed\n\
                    ana@example.com,pigeon,,,\n\
                    ,email,,,\n\
                    bo@example.com,email,outages,,\n\
                    cy@example.com,email,all,xx,\n\
                    di@example.com,email,all,en,maybe\n\
                    ok@example.com,email,all,en,no\n";
        let problems = only_problems(text);
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].starts_with("Line 2: \"pigeon\" is not a valid subscriber channel"), "{}", problems[0]);
        assert_eq!(problems[1], "Line 3: the address is empty.");
        assert!(problems[2].starts_with("Line 4: \"outages\" is not a valid topic"), "{}", problems[2]);
        assert!(problems[3].starts_with("Line 5: \"xx\" is not a valid locale"), "{}", problems[3]);
        assert_eq!(problems[4], "Line 6: confirmed must be yes or no (or empty).");
    }

    #[test]
    fn a_header_without_an_address_column_is_refused() {
        assert_eq!(
            only_problems("channel,topic\nemail,all\n"),
            ["Line 1: the header row has no address column (name one \"address\" or \"email\")."]
        );
    }

    #[test]
    fn an_empty_file_and_a_too_long_file_are_refused() {
        assert_eq!(only_problems(""), ["The file lists no subscribers."]);
        assert_eq!(only_problems("address\n\n"), ["The file lists no subscribers."]);
        let long: String = (0..=MAX_IMPORT_ROWS).map(|n| format!("person{n}@example.com\n")).collect();
        assert_eq!(
            only_problems(&long),
            [format!("The file has more than {MAX_IMPORT_ROWS} subscribers; split it into several files.")]
        );
        let exactly: String = (0..MAX_IMPORT_ROWS).map(|n| format!("person{n}@example.com\n")).collect();
        assert_eq!(read_subscriber_list(&exactly).map(|rows| rows.len()), Ok(MAX_IMPORT_ROWS));
    }

    #[test]
    fn an_unclosed_quote_is_reported_not_swallowed() {
        let problems = only_problems("address\n\"ana@example.com\nbo@example.com\n");
        assert_eq!(problems, ["Line 2: the address runs over several lines; check for an unclosed quote."]);
    }

    #[test]
    fn long_problem_lists_are_cut_at_a_hundred() {
        let text: String = (0..500).map(|_| "x,pigeon\n").collect();
        let text = format!("address,channel\n{text}");
        assert_eq!(only_problems(&text).len(), 100);
    }

    #[test]
    fn an_export_reads_back_as_the_same_subscribers() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let exported = [
            ExportRow {
                channel: SubscriberChannel::Email,
                address: "ana@example.com".into(),
                topic: Topic::Maintenance,
                component_keys: vec!["api".into(), "web".into()],
                locale: Locale::Fr,
                confirmed_at: Some(at),
                state: "confirmed",
                source: "public".into(),
                created_at: at,
                last_delivery_at: Some(at),
            },
            ExportRow {
                channel: SubscriberChannel::Discord,
                address: "https://discord.com/api/webhooks/1/a,b".into(),
                topic: Topic::All,
                component_keys: vec![],
                locale: Locale::En,
                confirmed_at: None,
                state: "unconfirmed",
                source: "import".into(),
                created_at: at,
                last_delivery_at: None,
            },
        ];
        let text = write_subscriber_list(&exported);
        assert!(text.starts_with("channel,address,topic,components,locale,confirmed,state,source,created_at,"));
        assert!(text.contains("2026-11-30T12:00:00Z"));
        let rows = read_subscriber_list(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].channel, rows[0].address.as_str(), rows[0].topic, rows[0].locale, rows[0].confirmed),
            (SubscriberChannel::Email, "ana@example.com", Some(Topic::Maintenance), Some(Locale::Fr), Some(true))
        );
        assert_eq!(rows[0].component_keys, ["api", "web"]);
        assert_eq!(rows[1].address, "https://discord.com/api/webhooks/1/a,b");
        assert_eq!((rows[1].confirmed, rows[1].topic), (None, Some(Topic::All)));
    }
}
