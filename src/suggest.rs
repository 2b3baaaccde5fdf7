//! "Did you mean …?": the closest of the names a user could have meant,
//! for typos in lesson files and on the command line.

/// The candidate closest to `word` by edit distance (a swap of two
/// neighbouring letters counts as one edit), if it is close enough to be a
/// typo of it: at most one edit in four letters, and never more than 3.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let allowed = (word.chars().count() / 4).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word_and_strangers_find_none() {
        let calls = ["connect", "close", "accept", "recv", "recvfrom"];
        assert_eq!(closest("conect", calls), Some("connect"));
        assert_eq!(closest("acept", calls), Some("accept"));
        assert_eq!(closest("recfrom", calls), Some("recvfrom"));
        assert_eq!(closest("banana", calls), None);
        assert_eq!(
            closest("tcp-handshak", ["tcp-handshake", "tcp-close"]),
            Some("tcp-handshake")
        );
        assert_eq!(closest("con", ["conn", "conn2"]), Some("conn"));
        // The word itself is no suggestion.
        assert_eq!(closest("close", ["close"]), None);
    }
}
