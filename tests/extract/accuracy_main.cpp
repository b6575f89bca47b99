// extract.accuracy: runs the extractor on every report of the corpus, prints per-field precision
// and recall (and the sessions it missed or made up), and fails below the session-recall gate.
// A session is found when a proposal has its lecturer, date and venue right; a venue is right
// when it is the expected one, the league or county written before it or not.
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>

#include "corpus.hpp"

namespace ex = xj::extract;
namespace corpus = xj::extract::corpus;

namespace {

std::string strip_regions(std::string v, const ex::Gazetteer& g) {
  std::string out;
  for (const char c : v) {
    if (c != ' ') out.push_back(c);
  }
  for (bool again = true; again;) {
    again = false;
    for (const auto& r : g.regions) {
      if (!r.name.empty() && out.size() > r.name.size() && out.starts_with(r.name)) {
        out.erase(0, r.name.size());
        again = true;
      }
    }
  }
  return out;
}

struct Tally {
  int predicted = 0;  // proposals with a value
  int expected = 0;   // expected sessions with a value
  int correct = 0;    // matched pairs where both agree on a value
};

std::string count_text(const std::optional<std::int64_t>& c) {
  return c ? std::to_string(*c) : std::string{};
}

}  // namespace

int main(int argc, char** argv) {
  std::string folder;
  std::string regions;
  double gate = 0.9;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc)
      folder = argv[++i];
    else if (a == "--regions" && i + 1 < argc)
      regions = argv[++i];
    else if (a == "--min-session-recall" && i + 1 < argc)
      gate = std::atof(argv[++i]);
    else if (a == "--verbose")
      verbose = true;
    else {
      std::cerr << "usage: xj_extract_accuracy --corpus DIR --regions CSV [--min-session-recall R]"
                   " [--verbose]\n";
      return 2;
    }
  }
  const auto reports = corpus::load_reports(folder);
  const auto gazetteer = corpus::load_gazetteer(folder, regions);
  auto rules = ex::parse_rules();
  if (!rules) {
    std::cerr << rules.error().message.en << "\n";
    return 2;
  }
  const ex::Extractor extractor(std::move(*rules), gazetteer);

  const std::vector<std::string> fields = {
      "date",        "date_to",        "lecturer_name", "venue", "host_organisation",
      "region_code", "audience_group", "format",        "title", "audience_count",
      "branches"};
  std::map<std::string, Tally> tally;
  int sessions_expected = 0;
  int sessions_found = 0;
  int proposals = 0;
  int statements_expected = 0;
  int statements_found = 0;
  int statements_made = 0;

  for (const auto& r : reports) {
    const auto got = extractor.extract(r.text, r.year);
    proposals += static_cast<int>(got.proposals.size());
    sessions_expected += static_cast<int>(r.sessions.size());
    const auto value = [&](const ex::Proposal& p, const std::string& f) -> std::string {
      if (f == "date") return p.date.iso();
      if (f == "date_to") return p.date_to ? p.date_to->iso() : "";
      if (f == "lecturer_name") return p.lecturer_name;
      if (f == "venue") return strip_regions(p.venue, gazetteer);
      if (f == "host_organisation") return p.host_organisation;
      if (f == "region_code") return p.region_code;
      if (f == "audience_group") return p.audience_group;
      if (f == "format") return p.format;
      if (f == "title") return p.title;
      if (f == "branches") {
        std::string out;
        for (const auto& b : p.branches) out += (out.empty() ? "" : "、") + b.venue;
        return out;
      }
      return count_text(p.audience_count);
    };
    const auto expected = [&](const corpus::ExpectedSession& e,
                              const std::string& f) -> std::string {
      if (f == "date") return e.date;
      if (f == "date_to") return e.date_to;
      if (f == "lecturer_name") return e.lecturer_name;
      if (f == "venue") return strip_regions(e.venue, gazetteer);
      if (f == "host_organisation") return e.host_organisation;
      if (f == "region_code") return e.region_code;
      if (f == "audience_group") return e.audience_group;
      if (f == "format") return e.format;
      if (f == "title") return e.title;
      if (f == "branches") return e.branches;
      return count_text(e.audience_count);
    };
    // Pair each expected session with a proposal: first those right on all three keys, then by
    // the venue, then by lecturer and date, so that the other fields are compared where they can.
    std::vector<int> pair_of(r.sessions.size(), -1);
    std::set<std::size_t> used;
    const auto pair_by = [&](auto agrees) {
      for (std::size_t i = 0; i < r.sessions.size(); ++i) {
        if (pair_of[i] >= 0) continue;
        for (std::size_t j = 0; j < got.proposals.size(); ++j) {
          if (used.count(j) == 0 && agrees(r.sessions[i], got.proposals[j])) {
            pair_of[i] = static_cast<int>(j);
            used.insert(j);
            break;
          }
        }
      }
    };
    const auto same = [&](const auto& e, const auto& p, const char* f) {
      return expected(e, f) == value(p, f);
    };
    pair_by([&](const auto& e, const auto& p) {
      return same(e, p, "lecturer_name") && same(e, p, "date") && same(e, p, "venue");
    });
    int found_here = 0;
    for (const int j : pair_of) found_here += j >= 0 ? 1 : 0;
    pair_by([&](const auto& e, const auto& p) { return same(e, p, "venue"); });
    pair_by([&](const auto& e, const auto& p) {
      return same(e, p, "lecturer_name") && same(e, p, "date");
    });
    sessions_found += found_here;

    for (const auto& f : fields) {
      for (const auto& p : got.proposals) tally[f].predicted += value(p, f).empty() ? 0 : 1;
      for (std::size_t i = 0; i < r.sessions.size(); ++i) {
        const std::string want = expected(r.sessions[i], f);
        tally[f].expected += want.empty() ? 0 : 1;
        if (pair_of[i] >= 0 && !want.empty() &&
            want == value(got.proposals[static_cast<std::size_t>(pair_of[i])], f)) {
          ++tally[f].correct;
        }
      }
    }
    // What went wrong, to read in the test's output.
    std::cout << r.name << ": " << found_here << "/" << r.sessions.size() << " sessions, "
              << got.proposals.size() << " proposals\n";
    for (std::size_t i = 0; i < r.sessions.size(); ++i) {
      const auto& e = r.sessions[i];
      if (pair_of[i] < 0) {
        std::cout << "  missed: " << e.date << " " << e.lecturer_name << " @ " << e.venue << "\n";
        continue;
      }
      const auto& p = got.proposals[static_cast<std::size_t>(pair_of[i])];
      for (const auto& f : fields) {
        if (expected(e, f) != value(p, f) &&
            (verbose || f == "lecturer_name" || f == "date" || f == "venue")) {
          std::cout << "  " << f << ": expected \"" << expected(e, f) << "\", got \"" << value(p, f)
                    << "\" (" << e.venue << ")\n";
        }
      }
    }
    for (std::size_t j = 0; j < got.proposals.size(); ++j) {
      if (used.count(j) == 0) {
        const auto& p = got.proposals[j];
        std::cout << "  made up: " << p.date.iso() << " " << p.lecturer_name << " @ " << p.venue
                  << "\n";
      }
    }
    // Statements: the same kind with the same count, sum or quotation.
    statements_expected += static_cast<int>(r.statements.size());
    statements_made += static_cast<int>(got.statements.size());
    std::set<std::size_t> st_used;
    for (const auto& want : r.statements) {
      bool hit = false;
      for (std::size_t j = 0; j < got.statements.size() && !hit; ++j) {
        const auto& s = got.statements[j];
        std::string key;
        if (s.kind == ex::StatementKind::kRunningTotal) key = std::to_string(s.count);
        if (s.kind == ex::StatementKind::kMoney) key = std::to_string(s.fen);
        if (s.kind == ex::StatementKind::kQuote) key = s.text;
        if (st_used.count(j) == 0 && std::string(ex::statement_kind_name(s.kind)) == want.kind &&
            key == want.key) {
          st_used.insert(j);
          hit = true;
        }
      }
      statements_found += hit ? 1 : 0;
      if (!hit) std::cout << "  statement missed: " << want.kind << " " << want.key << "\n";
    }
  }

  const auto pct = [](int a, int b) { return b == 0 ? 100.0 : 100.0 * a / b; };
  std::cout << "\n"
            << std::left << std::setw(20) << "field" << std::right << std::setw(11) << "precision"
            << std::setw(9) << "recall"
            << "\n";
  std::cout << std::fixed << std::setprecision(1);
  for (const auto& f : fields) {
    const auto& t = tally[f];
    std::cout << std::left << std::setw(20) << f << std::right << std::setw(10)
              << pct(t.correct, t.predicted) << "%" << std::setw(8) << pct(t.correct, t.expected)
              << "%\n";
  }
  const double recall = pct(sessions_found, sessions_expected);
  std::cout << std::left << std::setw(20) << "sessions" << std::right << std::setw(10)
            << pct(sessions_found, proposals) << "%" << std::setw(8) << recall << "%  ("
            << sessions_found << " of " << sessions_expected << " found, " << proposals
            << " proposed, " << reports.size() << " reports)\n";
  std::cout << std::left << std::setw(20) << "statements" << std::right << std::setw(10)
            << pct(statements_found, statements_made) << "%" << std::setw(8)
            << pct(statements_found, statements_expected) << "%\n";
  if (reports.size() < 10 || recall < gate * 100.0) {
    std::cout << "FAIL: session recall " << recall << "% is below " << gate * 100.0
              << "% (or fewer than 10 reports)\n";
    return 1;
  }
  std::cout << "ok: session recall " << recall << "% (gate " << gate * 100.0 << "%)\n";
  return 0;
}
