// The report extractor (issue 18): a union news item, a weekly brief or a newspaper page as text
// in, proposed session records and statements out. Pure: it reads nothing but what the caller
// passes (the text, the rules, the names it may match) and writes nothing. The proposals are for
// a person to review; the service stores what that person accepts.
//
// Three steps, each usable alone:
//   normalize  repairs what PDF extraction and typing do to Chinese text (hard wraps inside
//              sentences, captions set one character a line, full-width digits, stray spaces)
//              and tells headings and captions from body paragraphs;
//   sentences  splits body paragraphs into sentences (never inside a quotation);
//   Extractor  reads sessions and statements out of the sentences with the phrase lists of
//              Rules (data/extract/*.txt: rules are data, extendable by an administrator).
// Offsets are in code points of Normalized::text, which is what a page highlights.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "extract/orgmatch.hpp"

namespace xj::extract {

// ---- Normalisation ------------------------------------------------------------------------

enum class BlockKind { kHeading, kBody, kCaption };

struct Block {
  BlockKind kind = BlockKind::kBody;
  std::size_t begin = 0;  // code points into Normalized::text
  std::size_t end = 0;
};

struct Normalized {
  std::string text;  // UTF-8; blocks separated by one '\n'
  std::vector<Block> blocks;
};

// REQUIRES: valid UTF-8 (the caller checks: utf8::valid).
Normalized normalize(std::string_view text);

struct Span {
  std::size_t begin = 0;  // code points into Normalized::text
  std::size_t end = 0;
};

// The sentences of the body blocks, in order: ended by 。！？；or by the end of the block, never
// inside “…” or 「…」.
std::vector<Span> sentences(const Normalized& normalized);

// ---- Rules --------------------------------------------------------------------------------

// The phrase lists, parsed. Build with parse_rules from the files' contents.
struct Rules {
  std::vector<std::pair<std::string, std::string>> audience_phrases;  // phrase → group name
  std::vector<std::pair<std::string, std::string>> format_phrases;    // phrase → format
  std::vector<std::string> honours;
  std::vector<std::string> name_followers;
  std::vector<std::string> not_names;  // words after a title that are no name (精神, 事迹)
  std::vector<std::string> venue_verbs;
  std::vector<std::string> venue_stops;
  std::vector<std::string> place_suffixes;
  std::vector<std::string> venue_rejects;
  std::vector<std::string> org_suffixes;
  std::vector<std::string> host_verbs;
  std::vector<std::string> lecture_words;
  std::vector<std::string> future_markers;
  std::vector<std::string> title_before;
  std::vector<std::string> title_after;
  std::vector<std::pair<std::string, std::string>> region_aliases;    // alias → code
  std::vector<std::pair<std::string, std::string>> category_phrases;  // phrase → category code
};

// The names of the rule files (data/extract/*.txt), each with its shipped content.
const std::map<std::string, std::string>& shipped_rule_files();

// Rules from file name → content. Files of the same name in `extra` add their lines to the
// shipped ones. A file name that is not a rule file, a mapping line without "key:", or text that
// is not UTF-8 is refused (bad_request naming the file and line).
Result<Rules> parse_rules(const std::map<std::string, std::string>& extra = {});

// ---- What the extractor may match against ------------------------------------------------

struct KnownRegion {
  std::string code;  // GB/T 2260, six digits
  std::string name;
  std::string parent;  // "" for a province
};
struct KnownLecturer {
  Id id = 0;
  std::string name;
};
struct KnownOrganisation {
  Id id = 0;
  std::string name;
  std::string region_code;
};
struct Gazetteer {
  std::vector<KnownRegion> regions;
  std::vector<KnownLecturer> lecturers;
  std::vector<KnownOrganisation> organisations;
};

// ---- Output -------------------------------------------------------------------------------

enum class Qualifier { kExact, kAtLeast, kAbout };
std::string_view qualifier_name(Qualifier q);  // "exact", "at_least", "about"

struct Proposal {
  Date date;
  std::optional<Date> date_to;  // last day of a range (3月5日至6日)
  std::string lecturer_name;
  std::optional<Id> lecturer_id;  // when the name is on the roster
  std::string lecturer_honours;   // for a new lecturer: what the text calls them
  std::string lecturer_employer;  // for a new lecturer: the organisation the text names
  std::string lecturer_category;  // for a new lecturer: a category code its titles suggest
  std::string venue;
  std::string host_organisation;
  std::optional<Id> host_organisation_id;
  // How the host was found in the tree (orgmatch.hpp): its kind, the tree's name and a
  // confidence; kNone when the text names no host or one not in the importer's subtree.
  OrgMatchKind host_match = OrgMatchKind::kNone;
  std::string host_match_name;
  double host_confidence = 0;
  std::string region_code;  // "" when none could be told
  std::string audience_group;
  std::string format = "offline";  // offline, online, hybrid
  // hybrid (主会场+分会场): the branch venues the sentence names, each with the region its name
  // is ("" when none). A sentence that says 分会场 but names none (各旗县区设分会场) gives an
  // offline proposal with hybrid_reason "branches_not_named": the session rules need branches.
  struct Branch {
    std::string venue;
    std::string region_code;
  };
  std::vector<Branch> branches;
  std::string hybrid_reason;
  std::string title;
  std::optional<std::int64_t> audience_count;
  Qualifier audience_qualifier = Qualifier::kExact;
  std::string sentence;
  Span sentence_span;
  double confidence = 0;  // 0..1
};

enum class StatementKind { kRunningTotal, kMoney, kQuote };
std::string_view statement_kind_name(StatementKind k);  // running_total, money, quote

struct Statement {
  StatementKind kind = StatementKind::kQuote;
  std::string lecturer_name;                // running_total: whose total ("" for the whole corps)
  std::int64_t count = 0;                   // running_total
  std::int64_t fen = 0;                     // money
  Qualifier qualifier = Qualifier::kExact;  // money
  std::string who;                          // quote
  std::string text;                         // quote
  std::string sentence;
  Span sentence_span;
};

struct Extraction {
  Normalized normalized;
  std::vector<Proposal> proposals;
  std::vector<Statement> statements;
};

// The extractor. Construction indexes the rules and the gazetteer once; extract may then run
// on many texts, from several threads at once (it keeps no state between calls).
class Extractor {
 public:
  Extractor(Rules rules, const Gazetteer& gazetteer);
  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // REQUIRES: valid UTF-8. `year` resolves the months and days the text names.
  Extraction extract(std::string_view text, int year) const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

// A month and day in a year: nullopt where there is no such day (2月30日).
std::optional<Date> civil_date(int year, int month, int day);

}  // namespace xj::extract
