//! Rendering: tables for people, JSON for scripts. Data goes to stdout,
//! everything else (plans while applying, progress, warnings) to stderr.

use std::io::Write;
use std::time::Duration;

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::context::{Context, Format};
use crate::error::{Error, Result};

/// Version of every JSON document xapi prints; bumped on a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// A command's result: serialisable for `--output json`, with a table for people.
pub trait Report: Serialize {
    fn table(&self, style: &Style) -> String;
}

#[derive(Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
struct Envelope<'a, T: Serialize> {
    /// Bumped on a breaking change to any document xapi prints.
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// The JSON Schema of what `--output json` prints for `T`, envelope included.
#[cfg(test)]
pub fn json_schema<T: Report + schemars::JsonSchema + 'static>() -> serde_json::Value {
    schemars::schema_for!(Envelope<'static, T>).to_value()
}

pub struct Style {
    pub color: bool,
}

impl Style {
    /// How to render what goes to stderr (plans, notes).
    pub fn stderr(ctx: &Context) -> Style {
        Style {
            color: ctx.stderr_color,
        }
    }

    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_BORDERS_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.iter().map(Cell::new));
        if !self.color {
            t.force_no_tty();
        }
        t
    }

    /// A cell coloured by how good the news is, when colour is on.
    pub fn status_cell(&self, text: &str, good: bool) -> Cell {
        let cell = Cell::new(text);
        if self.color {
            cell.fg(if good { Color::Green } else { Color::Red })
        } else {
            cell
        }
    }

    /// `warning: <text>` and a newline, the prefix in yellow when colour is on.
    pub fn warning_line(&self, text: &str) -> String {
        format!("{} {text}\n", self.paint("warning:", Color::Yellow))
    }

    pub fn paint(&self, text: &str, color: Color) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match color {
            Color::Red => 31,
            Color::Green => 32,
            Color::Yellow => 33,
            Color::Cyan => 36,
            _ => 0,
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

pub fn emit<R: Report>(ctx: &Context, report: &R) -> Result<()> {
    emit_as(ctx.format, ctx.color, report)
}

/// [`emit`] for commands that run without a [`Context`].
pub fn emit_as<R: Report>(format: Format, color: bool, report: &R) -> Result<()> {
    let text = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&Envelope {
                schema_version: SCHEMA_VERSION,
                body: report,
            })
            .map_err(|e| Error::internal("serialising the output", e))?;
            s.push('\n');
            s
        }
        Format::Table => report.table(&Style { color }),
    };
    write_stdout(&text)
}

/// Write to stdout; a closed pipe (`xapi ... | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            what: "writing to stdout".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// A line of progress or commentary for people, on stderr.
/// Asks a yes/no question on the terminal; `None` when there is no terminal
/// to ask on (stdin or stderr is not one).
pub fn confirm(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal};
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A spinner on stderr, only on a terminal and never in CI or with --no-progress.
pub fn spinner(ctx: &Context, message: String) -> Option<ProgressBar> {
    if !ctx.progress {
        return None;
    }
    let pb = ProgressBar::new_spinner().with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    Some(pb)
}
