// Character bigrams for the session list's text search (`q`, a substring of title or venue).
// Chinese queries are mostly two characters, too short for a trigram index, so SQLite keeps an
// FTS5 index of each session's bigrams (migration 0028, `session_text`, kept by triggers that
// call `xj_bigrams`); a LIKE then rechecks every candidate, so the index only has to hold a
// superset of the matches. Internal to the store library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xj::store::detail {

// The distinct indexable bigrams of `text`, ASCII letters folded to lower case, separated by
// spaces: what the FTS5 `ascii` tokenizer reads back as one token per bigram. A bigram is
// indexable when both of its characters are tokens to that tokenizer (any non-ASCII character,
// ASCII letters and digits); a bigram with a space or ASCII punctuation is left out. Malformed
// UTF-8 bytes count as characters of their own, the same way for a text and a query.
std::string bigram_words(std::string_view text);

// The FTS5 MATCH expression every text holding `query` matches: all of the query's indexable
// bigrams. nullopt when the query has none (one character, or only spaces and punctuation
// between characters): such a query cannot use the index and is tested on every session.
std::optional<std::string> bigram_match(std::string_view query);

// True if `query` is exactly one indexable bigram (two letters, digits or non-ASCII characters,
// the usual Chinese query): then the index's match is the LIKE's (both fold ASCII case only, and
// a text's words never join title and venue), and SQLite need not read the session to recheck.
bool bigram_exact(std::string_view query);

// True if `query` has two characters or more (PostgreSQL's index takes every bigram).
bool has_bigram(std::string_view query);

}  // namespace xj::store::detail
