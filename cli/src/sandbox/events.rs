//! The sandbox's event log: one JSON line each on stderr, all of them at `GET /sandbox/events`.

use std::io::Write;

use serde_json::{Map, Value};

use super::clock;

/// Most events kept in memory (the oldest are dropped beyond it).
const MAX_EVENTS: usize = 10_000;

#[derive(Debug, Default)]
pub struct Events {
    items: Vec<Value>,
    next_seq: u64,
}

impl Events {
    /// Records an event with string details, in the given order.
    pub fn push(&mut self, kind: &str, details: &[(&str, &str)]) {
        self.next_seq += 1;
        let mut map = Map::new();
        map.insert("seq".into(), Value::from(self.next_seq));
        map.insert("time".into(), Value::String(clock::now_text()));
        map.insert("event".into(), Value::String(kind.into()));
        for (k, v) in details {
            map.insert((*k).into(), Value::String((*v).into()));
        }
        let event = Value::Object(map);
        let _ = writeln!(std::io::stderr(), "sandbox event {event}");
        if self.items.len() >= MAX_EVENTS {
            self.items.remove(0);
        }
        self.items.push(event);
    }

    /// All events as a JSON array.
    pub fn to_json(&self) -> String {
        Value::Array(self.items.clone()).to_string()
    }
}
