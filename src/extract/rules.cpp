// The rule files: lists of phrases, and mappings of one key to phrases, one per line.
#include <algorithm>

#include "core/utf8.hpp"
#include "extract/extract.hpp"

namespace xj::extract {

namespace {

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

struct Line {
  std::size_t number = 0;
  std::string_view text;
};

std::vector<Line> content_lines(std::string_view content) {
  std::vector<Line> out;
  std::size_t number = 0;
  while (!content.empty()) {
    const auto nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++number;
    const std::string trimmed = utf8::trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    out.push_back({number, line});
  }
  return out;
}

Error bad_line(const std::string& file, std::size_t line, std::string_view zh,
               std::string_view en) {
  return Error::bad_request(
      {"规则文件 " + file + " 第 " + std::to_string(line) + " 行：" + std::string(zh),
       "rule file " + file + ", line " + std::to_string(line) + ": " + std::string(en)},
      "rules");
}

using Mapping = std::vector<std::pair<std::string, std::vector<std::string>>>;

Result<Mapping> parse_mapping(const std::string& file, std::string_view content) {
  Mapping out;
  for (const auto& l : content_lines(content)) {
    auto colon = l.text.find(':');
    std::size_t width = 1;
    if (const auto wide = l.text.find("："); wide != std::string_view::npos && wide < colon) {
      colon = wide;
      width = std::string_view("：").size();
    }
    if (colon == std::string_view::npos) {
      return bad_line(file, l.number, "应为“名称: 短语 短语 …”",
                      "expected \"key: phrase phrase ...\"");
    }
    const std::string key = utf8::trim(l.text.substr(0, colon));
    if (key.empty()) return bad_line(file, l.number, "冒号前没有名称", "no key before the colon");
    out.emplace_back(key, words(l.text.substr(colon + width)));
  }
  return out;
}

std::vector<std::string> parse_list(std::string_view content) {
  std::vector<std::string> out;
  for (const auto& l : content_lines(content)) {
    for (auto& w : words(l.text)) out.push_back(std::move(w));
  }
  return out;
}

// Longest first: where two phrases start at the same place, the longer one is meant.
void longest_first(std::vector<std::string>& v) {
  std::stable_sort(v.begin(), v.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}
void longest_first(std::vector<std::pair<std::string, std::string>>& v) {
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

}  // namespace

Result<Rules> parse_rules(const std::map<std::string, std::string>& extra) {
  const auto& shipped = shipped_rule_files();
  for (const auto& [name, content] : extra) {
    if (shipped.find(name) == shipped.end()) {
      return Error::bad_request({"未知的规则文件：" + name + "（见 data/extract/README.md）",
                                 "unknown rule file: " + name + " (see data/extract/README.md)"},
                                "rules");
    }
    if (!utf8::valid(content)) {
      return Error::bad_request(
          {"规则文件 " + name + " 不是 UTF-8 文本", "rule file " + name + " is not UTF-8 text"},
          "rules");
    }
  }
  const auto text = [&](const std::string& name) {
    std::string all = shipped.at(name);
    if (const auto it = extra.find(name); it != extra.end()) all += "\n" + it->second;
    return all;
  };
  Rules r;
  const auto mapping_into = [&](const std::string& name,
                                std::vector<std::pair<std::string, std::string>>& into,
                                bool phrase_first) -> std::optional<Error> {
    auto m = parse_mapping(name, text(name));
    if (!m) return m.error();
    for (const auto& [key, phrases] : *m) {
      for (const auto& p : phrases) {
        if (phrase_first) into.emplace_back(p, key);
      }
    }
    return std::nullopt;
  };
  if (auto e = mapping_into("audience_groups.txt", r.audience_phrases, true)) return *e;
  if (auto e = mapping_into("region_aliases.txt", r.region_aliases, true)) return *e;
  if (auto e = mapping_into("lecturer_categories.txt", r.category_phrases, true)) return *e;
  // Formats keep the file's order: the first format with a phrase in the sentence wins.
  {
    auto m = parse_mapping("formats.txt", text("formats.txt"));
    if (!m) return m.error();
    for (const auto& [key, phrases] : *m) {
      if (key != "online" && key != "hybrid" && key != "offline") {
        return Error::bad_request(
            {"formats.txt：形式只能是 online、hybrid 或 offline，不能是 " + key,
             "formats.txt: a format is online, hybrid or offline, not " + key},
            "rules");
      }
      for (const auto& p : phrases) r.format_phrases.emplace_back(p, key);
    }
  }
  {
    auto m = parse_mapping("title_frames.txt", text("title_frames.txt"));
    if (!m) return m.error();
    for (const auto& [key, phrases] : *m) {
      auto& into = key == "before" ? r.title_before : r.title_after;
      if (key != "before" && key != "after") {
        return Error::bad_request({"title_frames.txt：名称只能是 before 或 after",
                                   "title_frames.txt: a key is before or after"},
                                  "rules");
      }
      into.insert(into.end(), phrases.begin(), phrases.end());
    }
  }
  r.honours = parse_list(text("honours.txt"));
  r.name_followers = parse_list(text("name_followers.txt"));
  r.not_names = parse_list(text("not_names.txt"));
  r.venue_verbs = parse_list(text("venue_verbs.txt"));
  r.venue_stops = parse_list(text("venue_stops.txt"));
  r.place_suffixes = parse_list(text("place_suffixes.txt"));
  r.venue_rejects = parse_list(text("venue_rejects.txt"));
  r.org_suffixes = parse_list(text("org_suffixes.txt"));
  r.host_verbs = parse_list(text("host_verbs.txt"));
  r.lecture_words = parse_list(text("lecture_words.txt"));
  r.future_markers = parse_list(text("future_markers.txt"));
  for (auto* v : {&r.honours, &r.name_followers, &r.not_names, &r.venue_verbs, &r.venue_stops,
                  &r.place_suffixes, &r.venue_rejects, &r.org_suffixes, &r.host_verbs,
                  &r.lecture_words, &r.future_markers, &r.title_before, &r.title_after}) {
    longest_first(*v);
  }
  longest_first(r.audience_phrases);
  longest_first(r.region_aliases);
  longest_first(r.category_phrases);
  return r;
}

std::string_view qualifier_name(Qualifier q) {
  switch (q) {
    case Qualifier::kExact:
      return "exact";
    case Qualifier::kAtLeast:
      return "at_least";
    case Qualifier::kAbout:
      return "about";
  }
  return "exact";
}

std::string_view statement_kind_name(StatementKind k) {
  switch (k) {
    case StatementKind::kRunningTotal:
      return "running_total";
    case StatementKind::kMoney:
      return "money";
    case StatementKind::kQuote:
      return "quote";
  }
  return "quote";
}

}  // namespace xj::extract
