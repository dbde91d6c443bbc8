//! The "Ashby job" combobox's state apart from the page: what the recruiter typed, whether the
//! list is open, which option is highlighted and which jobs it shows. What each key means (the
//! ARIA combobox pattern) is decided here; `page_components::job_combobox` draws the state.

use super::{JobFilter, MAX_OPTIONS};

/// The combobox between two events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComboState {
    /// What was typed since the list opened (`None`: nothing yet, the box shows the choice).
    typed: Option<String>,
    open: bool,
    /// The highlighted option: a position in `shown`.
    active: Option<usize>,
    /// The jobs listed (positions in the list the filter was built from); none while closed.
    shown: Vec<usize>,
}

/// A key the combobox answers; the page keeps every other key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComboKey {
    Down,
    Up,
    Enter,
    Escape,
}

impl ComboKey {
    /// From `KeyboardEvent.key`.
    pub fn named(key: &str) -> Option<Self> {
        match key {
            "ArrowDown" => Some(Self::Down),
            "ArrowUp" => Some(Self::Up),
            "Enter" => Some(Self::Enter),
            "Escape" => Some(Self::Escape),
            _ => None,
        }
    }
}

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOutcome {
    /// Left to the page (Enter with the list closed submits the form around the picker).
    Ignored,
    /// Answered here: the browser's own action for the key is prevented.
    Handled,
    /// The highlighted job was picked (its position in the filter's list); the list closed.
    Picked(usize),
}

impl ComboState {
    pub fn typed(&self) -> Option<&str> {
        self.typed.as_deref()
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn active(&self) -> Option<usize> {
        self.active
    }

    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// Opens the list on what matches the typed text (every job before anything is typed).
    pub fn open(&mut self, filter: &JobFilter) {
        self.open = true;
        self.refilter(filter);
    }

    /// The recruiter typed: the list opens on what matches, nothing highlighted. True when
    /// the list changed (it opened, or shows other jobs); most keystrokes of a longer query
    /// leave it as it was, and then only the highlight needs drawing.
    pub fn type_text(&mut self, text: String, filter: &JobFilter) -> bool {
        let (was_open, before) = (self.open, std::mem::take(&mut self.shown));
        self.typed = Some(text);
        self.active = None;
        self.open(filter);
        !was_open || self.shown != before
    }

    /// The jobs shown again, from a new job list's filter (an open list only). A highlight
    /// past the new end is dropped.
    pub fn refilter(&mut self, filter: &JobFilter) {
        if !self.open {
            return;
        }
        self.shown = filter.matching(self.typed.as_deref().unwrap_or_default(), MAX_OPTIONS);
        if self.active.is_some_and(|active| active >= self.shown.len()) {
            self.active = None;
        }
    }

    /// Closes the list; the box shows the choice again.
    pub fn close(&mut self) {
        *self = Self::default();
    }

    pub fn key(&mut self, key: ComboKey, filter: &JobFilter) -> KeyOutcome {
        match key {
            ComboKey::Down if self.open => self.move_active(1),
            ComboKey::Down => self.open(filter),
            ComboKey::Up => {
                if self.open {
                    self.move_active(-1);
                }
            }
            ComboKey::Enter if self.open => {
                let picked = self.active.and_then(|position| self.pick(position));
                self.close();
                return picked.map_or(KeyOutcome::Handled, KeyOutcome::Picked);
            }
            ComboKey::Escape if self.open => self.close(),
            ComboKey::Enter | ComboKey::Escape => return KeyOutcome::Ignored,
        }
        KeyOutcome::Handled
    }

    /// The option at `position` (of those shown) picked: its job, and the list closes.
    pub fn pick(&mut self, position: usize) -> Option<usize> {
        let job = self.shown.get(position).copied();
        self.close();
        job
    }

    /// Focus left the box: the list closes. True when the recruiter had emptied the box,
    /// which clears the choice.
    pub fn leave(&mut self) -> bool {
        let emptied = self.typed.as_deref().is_some_and(|t| t.trim().is_empty());
        self.close();
        emptied
    }

    /// Down/Up: the next or previous option, staying at the ends; from none, the first (Down)
    /// or the last (Up).
    fn move_active(&mut self, step: isize) {
        let Some(last) = self.shown.len().checked_sub(1) else {
            return;
        };
        self.active = Some(match self.active {
            None if step > 0 => 0,
            None => last,
            Some(current) => current.saturating_add_signed(step).min(last),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::JobChoice;

    fn filter(titles: &[&str]) -> JobFilter {
        let jobs: Vec<JobChoice> = titles
            .iter()
            .map(|title| JobChoice {
                id: title.to_lowercase().replace(' ', "-").as_str().into(),
                title: (*title).into(),
                status: "Open".into(),
                location: None,
                department: None,
            })
            .collect();
        JobFilter::new(&jobs)
    }

    #[test]
    fn typing_opens_the_list_on_the_matching_jobs_with_nothing_highlighted() {
        let jobs = filter(&["Backend Engineer", "Account Executive", "Frontend Engineer"]);
        let mut combo = ComboState::default();
        assert!(!combo.is_open());
        assert!(combo.shown().is_empty(), "nothing is listed while closed");
        combo.type_text("engineer".into(), &jobs);
        assert!(combo.is_open());
        assert_eq!(combo.typed(), Some("engineer"));
        assert_eq!(combo.shown(), [0, 2]);
        assert_eq!(combo.active(), None);
    }

    #[test]
    fn typing_says_whether_the_list_changed() {
        let jobs = filter(&["Backend Engineer", "Account Executive", "Frontend Engineer"]);
        let mut combo = ComboState::default();
        assert!(
            combo.type_text("zzz".into(), &jobs),
            "opening changes it, even to nothing"
        );
        assert!(!combo.type_text("zzzz".into(), &jobs), "still nothing");
        assert!(combo.type_text("engineer".into(), &jobs));
        assert!(!combo.type_text("engineer ".into(), &jobs), "the same jobs");
        assert!(combo.type_text("backend engineer".into(), &jobs));
        assert_eq!(combo.shown(), [0]);
    }

    #[test]
    fn down_opens_then_moves_and_up_moves_back_staying_at_the_ends() {
        let jobs = filter(&["A", "B", "C"]);
        let mut combo = ComboState::default();
        assert_eq!(combo.key(ComboKey::Up, &jobs), KeyOutcome::Handled);
        assert!(!combo.is_open(), "Up does not open the list");
        assert_eq!(combo.key(ComboKey::Down, &jobs), KeyOutcome::Handled);
        assert!(combo.is_open());
        assert_eq!((combo.shown(), combo.active()), (&[0, 1, 2][..], None));
        for expected in [0, 1, 2, 2] {
            combo.key(ComboKey::Down, &jobs);
            assert_eq!(combo.active(), Some(expected));
        }
        for expected in [1, 0, 0] {
            combo.key(ComboKey::Up, &jobs);
            assert_eq!(combo.active(), Some(expected));
        }
        let mut from_none = ComboState::default();
        from_none.open(&jobs);
        from_none.key(ComboKey::Up, &jobs);
        assert_eq!(
            from_none.active(),
            Some(2),
            "Up from no highlight goes to the last"
        );
    }

    #[test]
    fn enter_picks_the_highlighted_job_and_is_left_to_the_form_when_closed() {
        let jobs = filter(&["Backend Engineer", "Account Executive", "Frontend Engineer"]);
        let mut combo = ComboState::default();
        assert_eq!(combo.key(ComboKey::Enter, &jobs), KeyOutcome::Ignored);
        combo.type_text("engineer".into(), &jobs);
        assert_eq!(
            combo.key(ComboKey::Enter, &jobs),
            KeyOutcome::Handled,
            "no highlight: the list closes, nothing is picked, the form is not submitted"
        );
        assert_eq!(combo, ComboState::default());
        combo.type_text("engineer".into(), &jobs);
        combo.key(ComboKey::Down, &jobs);
        combo.key(ComboKey::Down, &jobs);
        assert_eq!(combo.key(ComboKey::Enter, &jobs), KeyOutcome::Picked(2));
        assert_eq!(combo, ComboState::default(), "closed, showing the choice");
    }

    #[test]
    fn escape_closes_and_forgets_the_typing_only_while_open() {
        let jobs = filter(&["A", "B"]);
        let mut combo = ComboState::default();
        assert_eq!(combo.key(ComboKey::Escape, &jobs), KeyOutcome::Ignored);
        combo.type_text("b".into(), &jobs);
        assert_eq!(combo.key(ComboKey::Escape, &jobs), KeyOutcome::Handled);
        assert_eq!(combo, ComboState::default());
    }

    #[test]
    fn a_click_picks_the_option_at_its_position_and_a_missing_one_picks_nothing() {
        let jobs = filter(&["Backend Engineer", "Account Executive", "Frontend Engineer"]);
        let mut combo = ComboState::default();
        combo.type_text("engineer".into(), &jobs);
        assert_eq!(combo.pick(1), Some(2));
        assert!(!combo.is_open());
        combo.type_text("engineer".into(), &jobs);
        assert_eq!(combo.pick(7), None);
        assert!(!combo.is_open());
    }

    #[test]
    fn leaving_an_emptied_box_clears_the_choice_and_leaving_otherwise_keeps_it() {
        let jobs = filter(&["A"]);
        let mut combo = ComboState::default();
        combo.open(&jobs);
        assert!(!combo.leave(), "nothing typed: the choice stays");
        combo.type_text("  ".into(), &jobs);
        assert!(combo.leave());
        assert!(!combo.is_open());
        combo.type_text("a".into(), &jobs);
        assert!(!combo.leave());
    }

    #[test]
    fn a_new_job_list_refilters_an_open_list_and_drops_a_highlight_past_its_end() {
        let mut combo = ComboState::default();
        combo.type_text(
            "engineer".into(),
            &filter(&["Backend Engineer", "Frontend Engineer"]),
        );
        combo.key(ComboKey::Up, &JobFilter::default());
        assert_eq!(combo.active(), Some(1));
        combo.refilter(&filter(&["Sales", "Data Engineer"]));
        assert_eq!((combo.shown(), combo.active()), (&[1][..], None));
        let mut closed = ComboState::default();
        closed.refilter(&filter(&["Sales"]));
        assert!(closed.shown().is_empty(), "a closed list stays empty");
    }

    #[test]
    fn an_empty_list_has_nothing_to_highlight() {
        let jobs = filter(&[]);
        let mut combo = ComboState::default();
        combo.key(ComboKey::Down, &jobs);
        assert!(combo.is_open());
        combo.key(ComboKey::Down, &jobs);
        assert_eq!(combo.active(), None);
        assert_eq!(combo.key(ComboKey::Enter, &jobs), KeyOutcome::Handled);
    }
}
