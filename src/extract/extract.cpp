// The extraction proper. A sentence is cut into segments where a new date opens a clause
// ("4月9日……，4月10日……"); in each segment the venues follow a venue verb (走进, 来到, 在…) up to a
// stop (开展, 为, ，…), and one session is proposed per venue. What a segment does not say (the
// date, the lecturer) is carried from the sentences before it, at a lower confidence.
#include <algorithm>
#include <array>
#include <set>

#include "extract/extract.hpp"

#include "extract/orgmatch.hpp"
#include "extract/u32.hpp"

namespace xj::extract {

using detail::decode;
using detail::encode;
using detail::is_digit;
using detail::is_han;
using detail::starts_with;

namespace {

using Phrases = std::vector<std::u32string>;
using PhraseMap = std::vector<std::pair<std::u32string, std::string>>;

Phrases to_u32(const std::vector<std::string>& v) {
  Phrases out;
  out.reserve(v.size());
  for (const auto& s : v) out.push_back(decode(s));
  return out;
}
PhraseMap to_u32(const std::vector<std::pair<std::string, std::string>>& v) {
  PhraseMap out;
  out.reserve(v.size());
  for (const auto& [k, val] : v) out.emplace_back(decode(k), val);
  return out;
}

// The length of the longest phrase written at `at` (phrases sorted longest first), or 0.
std::size_t match_at(std::u32string_view text, std::size_t at, const Phrases& phrases) {
  for (const auto& p : phrases) {
    if (starts_with(text, at, p)) return p.size();
  }
  return 0;
}
const std::pair<std::u32string, std::string>* match_at(std::u32string_view text, std::size_t at,
                                                       const PhraseMap& phrases) {
  for (const auto& p : phrases) {
    if (starts_with(text, at, p.first)) return &p;
  }
  return nullptr;
}
bool contains_any(std::u32string_view text, const Phrases& phrases) {
  for (const auto& p : phrases) {
    if (!p.empty() && text.find(p) != std::u32string_view::npos) return true;
  }
  return false;
}
bool ends_with_any(std::u32string_view text, const Phrases& phrases) {
  for (const auto& p : phrases) {
    if (text.size() >= p.size() && text.compare(text.size() - p.size(), p.size(), p) == 0) {
      return true;
    }
  }
  return false;
}

struct DateMention {
  std::size_t begin = 0;
  std::size_t end = 0;
  int month = 0;
  int day = 0;
  int year = 0;  // 0: the reference year
  int to_month = 0;
  int to_day = 0;  // 0: no range
};

// Digits at `at` as a number (at most 9 of them); advances `at`.
std::optional<std::int64_t> number_at(std::u32string_view t, std::size_t& at) {
  std::int64_t v = 0;
  std::size_t n = 0;
  while (at < t.size() && is_digit(t[at]) && n < 12) {
    v = v * 10 + (t[at] - U'0');
    ++at;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return v;
}

std::vector<DateMention> find_dates(std::u32string_view t) {
  std::vector<DateMention> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1]))) continue;
    std::size_t k = i;
    DateMention d;
    d.begin = i;
    auto first = number_at(t, k);
    if (!first) continue;
    if (k < t.size() && t[k] == U'年') {
      d.year = static_cast<int>(*first);
      ++k;
      auto m = number_at(t, k);
      if (!m) continue;
      first = m;
    }
    if (k >= t.size() || t[k] != U'月') continue;
    ++k;
    const auto day = number_at(t, k);
    if (!day || k >= t.size() || (t[k] != U'日' && t[k] != U'号')) continue;
    ++k;
    d.month = static_cast<int>(*first);
    d.day = static_cast<int>(*day);
    // A range: 至6日, 至4月2日, —8日, 到10日.
    if (k < t.size() && (t[k] == U'至' || t[k] == U'到' || t[k] == U'—' || t[k] == U'-' ||
                         t[k] == U'~' || t[k] == U'～')) {
      std::size_t r = k + 1;
      if (r < t.size() && t[r] == U'—') ++r;
      if (auto a = number_at(t, r)) {
        int to_month = d.month;
        std::optional<std::int64_t> to_day = a;
        if (r < t.size() && t[r] == U'月') {
          ++r;
          to_month = static_cast<int>(*a);
          to_day = number_at(t, r);
        }
        if (to_day && r < t.size() && (t[r] == U'日' || t[r] == U'号')) {
          d.to_month = to_month;
          d.to_day = static_cast<int>(*to_day);
          k = r + 1;
        }
      }
    }
    d.end = k;
    out.push_back(d);
    i = k - 1;
  }
  return out;
}

// Inside 《…》 or “…” (or 「…」): titles and quotations, where no venue or name is looked for.
std::vector<bool> quoted_mask(std::u32string_view t) {
  std::vector<bool> mask(t.size(), false);
  int depth = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char32_t c = t[i];
    if (c == U'《' || c == U'“' || c == U'「') ++depth;
    mask[i] = depth > 0;
    if ((c == U'》' || c == U'”' || c == U'」') && depth > 0) --depth;
  }
  return mask;
}

struct RegionName {
  std::u32string name;
  std::string code;
  int rank = 0;  // 0 province, 1 league/city, 2 banner/county
};

struct Found {
  std::size_t pos = 0;
  std::string code;
  int rank = 0;
};

struct NameHit {
  std::size_t pos = 0;
  std::u32string name;
  std::optional<Id> id;
  bool inherited = false;
};

struct VenueHit {
  std::size_t begin = 0;
  std::size_t end = 0;
};

}  // namespace

struct Extractor::Impl {
  Rules rules;
  PhraseMap audience;
  PhraseMap formats;
  PhraseMap categories;
  Phrases honours, followers, venue_verbs, venue_stops, place_suffixes, venue_rejects, org_suffixes,
      host_verbs, lecture_words, future_markers, title_before, title_after, not_names;
  std::vector<RegionName> regions;  // longest first
  std::vector<std::pair<std::u32string, Id>> roster;
  std::vector<KnownOrganisation> known_organisations;  // for the fuzzy host match (orgmatch)
  std::vector<KnownRegion> known_regions;

  Impl(Rules r, const Gazetteer& g)
      : rules(std::move(r)), known_organisations(g.organisations), known_regions(g.regions) {
    audience = to_u32(rules.audience_phrases);
    formats = to_u32(rules.format_phrases);
    categories = to_u32(rules.category_phrases);
    honours = to_u32(rules.honours);
    followers = to_u32(rules.name_followers);
    venue_verbs = to_u32(rules.venue_verbs);
    venue_stops = to_u32(rules.venue_stops);
    place_suffixes = to_u32(rules.place_suffixes);
    venue_rejects = to_u32(rules.venue_rejects);
    org_suffixes = to_u32(rules.org_suffixes);
    host_verbs = to_u32(rules.host_verbs);
    lecture_words = to_u32(rules.lecture_words);
    future_markers = to_u32(rules.future_markers);
    title_before = to_u32(rules.title_before);
    title_after = to_u32(rules.title_after);
    not_names = to_u32(rules.not_names);

    std::map<std::u32string, std::set<std::string>> shorts;
    std::map<std::string, int> rank_of;
    for (const auto& reg : g.regions) {
      if (reg.code.size() != 6) continue;
      const int rank = reg.code.ends_with("0000") ? 0 : reg.code.ends_with("00") ? 1 : 2;
      rank_of[reg.code] = rank;
      const std::u32string name = decode(reg.name);
      regions.push_back({name, reg.code, rank});
      if (name.empty()) continue;
      const char32_t last = name.back();
      // Short forms: 通辽市 → 通辽, 锡林郭勒盟 → 锡林郭勒; 科尔沁区 → 科尔沁 (a county's short
      // form only from three characters on: 青山区 → 青山 would be a mountain).
      const bool city = rank == 1 && (last == U'市' || last == U'盟') && name.size() >= 3;
      const bool county =
          rank == 2 && (last == U'市' || last == U'区' || last == U'县') && name.size() >= 4;
      if (city || county) shorts[name.substr(0, name.size() - 1)].insert(reg.code);
    }
    for (const auto& [name, codes] : shorts) {
      if (codes.size() == 1) {
        regions.push_back({name, *codes.begin(), rank_of[*codes.begin()]});
      }
    }
    for (const auto& [alias, code] : rules.region_aliases) {
      const auto it = rank_of.find(code);
      if (it != rank_of.end()) regions.push_back({decode(alias), code, it->second});
    }
    std::stable_sort(regions.begin(), regions.end(),
                     [](const auto& a, const auto& b) { return a.name.size() > b.name.size(); });
    for (const auto& l : g.lecturers) {
      if (!l.name.empty()) roster.emplace_back(decode(l.name), l.id);
    }
    std::stable_sort(roster.begin(), roster.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }

  // The branch venues a sentence names before 分会场 (为科尔沁右翼前旗、扎赉特旗等分会场) or after
  // 分会场设在 (分会场设在乌达区职工之家和海南区职工服务中心). A generic subject (各旗县区总工会设
  // 分会场, 视频会议分会场) names none.
  std::vector<Proposal::Branch> find_branches(std::u32string_view t) const {
    static constexpr std::u32string_view kMark = U"分会场";
    static constexpr std::u32string_view kStops = U"，。；：、+＋“”（）()《》,;:";
    std::vector<std::u32string> names;
    auto split = [&names](std::u32string_view list) {
      std::u32string item;
      auto flush = [&]() {
        if (item.size() >= 2 && item.size() <= 30) names.push_back(item);
        item.clear();
      };
      for (const char32_t c : list) {
        if (c == U'、' || c == U'和' || c == U'及' || c == U',' || c == U'，') {
          flush();
        } else {
          item.push_back(c);
        }
      }
      flush();
    };
    auto generic = [](std::u32string_view n) {
      return n.empty() || n.front() == U'各' || n.front() == U'全' || n.front() == U'多' ||
             n.find(U"视频") != std::u32string_view::npos ||
             n.find(U"会议") != std::u32string_view::npos ||
             n.find(U"线上") != std::u32string_view::npos ||
             n.find(U"直播") != std::u32string_view::npos;
    };
    for (std::size_t at = t.find(kMark); at != std::u32string_view::npos;
         at = t.find(kMark, at + kMark.size())) {
      // After: 分会场设在 X、Y
      const std::size_t after = at + kMark.size();
      for (const std::u32string_view lead :
           {std::u32string_view(U"设在"), std::u32string_view(U"分别设在"),
            std::u32string_view(U"设于")}) {
        if (t.substr(after, lead.size()) == lead) {
          std::size_t end = after + lead.size();
          while (end < t.size() && kStops.find(t[end]) == std::u32string_view::npos) ++end;
          // 、 separates the list: go on to the next hard stop.
          while (end < t.size() && t[end] == U'、') {
            ++end;
            while (end < t.size() && kStops.find(t[end]) == std::u32string_view::npos) ++end;
          }
          const auto list = t.substr(after + lead.size(), end - after - lead.size());
          if (!generic(list)) split(list);
        }
      }
      // Before: back to a hard stop (not 、, which separates the list), then after the last verb.
      std::size_t begin = at;
      while (begin > 0 &&
             (t[begin - 1] == U'、' || kStops.find(t[begin - 1]) == std::u32string_view::npos)) {
        --begin;
      }
      std::u32string_view list = t.substr(begin, at - begin);
      for (const char32_t verb : {U'为', U'在', U'于', U'至', U'到', U'与'}) {
        const auto v = list.rfind(verb);
        if (v != std::u32string_view::npos) list = list.substr(v + 1);
      }
      for (const std::u32string_view tail :
           {std::u32string_view(U"设"), std::u32string_view(U"等"), std::u32string_view(U"的")}) {
        if (list.size() >= tail.size() && list.substr(list.size() - tail.size()) == tail) {
          list.remove_suffix(tail.size());
        }
      }
      if (!generic(list)) split(list);
    }
    std::vector<Proposal::Branch> out;
    for (const auto& n : names) {
      if (std::any_of(out.begin(), out.end(), [&](const auto& b) { return b.venue == encode(n); }))
        continue;
      out.push_back({encode(n), most_specific(find_regions(n))});
    }
    return out;
  }

  std::vector<Found> find_regions(std::u32string_view t) const {
    std::vector<Found> out;
    for (std::size_t i = 0; i < t.size();) {
      const RegionName* hit = nullptr;
      for (const auto& r : regions) {
        if (starts_with(t, i, r.name)) {
          hit = &r;
          break;
        }
      }
      if (hit != nullptr) {
        out.push_back({i, hit->code, hit->rank});
        i += hit->name.size();
      } else {
        ++i;
      }
    }
    return out;
  }

  static std::string most_specific(const std::vector<Found>& found) {
    const Found* best = nullptr;
    for (const auto& f : found) {
      if (best == nullptr || f.rank > best->rank) best = &f;
    }
    return best != nullptr ? best->code : std::string{};
  }

  bool name_followed(std::u32string_view t, std::size_t at) const {
    return at >= t.size() || match_at(t, at, followers) > 0;
  }

  // A name of two to five Han characters at `at`, the shortest one a follower comes after.
  std::size_t name_length_at(std::u32string_view t, std::size_t at,
                             const std::vector<bool>& mask) const {
    for (std::size_t n = 2; n <= 5 && at + n <= t.size(); ++n) {
      if (!is_han(t[at + n - 1]) || mask[at + n - 1]) return 0;
      if (n == 2 && !is_han(t[at])) return 0;
      if (name_followed(t, at + n)) {
        // Not a title or a follower itself (宣讲员, 同志).
        const std::u32string_view name = t.substr(at, n);
        if (match_at(name, 0, honours) > 0 || match_at(name, 0, followers) > 0 ||
            match_at(name, 0, not_names) > 0) {
          return 0;
        }
        return n;
      }
    }
    return 0;
  }

  std::vector<NameHit> find_lecturers(std::u32string_view t, const std::vector<bool>& mask,
                                      std::vector<std::pair<std::u32string, Id>>& known) const {
    std::vector<NameHit> out;
    std::set<std::u32string> seen;
    const auto add = [&](std::size_t pos, std::u32string name, std::optional<Id> id) {
      if (seen.insert(name).second) out.push_back({pos, std::move(name), id, false});
    };
    const std::array<const std::vector<std::pair<std::u32string, Id>>*, 2> lists = {&roster,
                                                                                    &known};
    for (const auto* list : lists) {
      for (const auto& [name, id] : *list) {
        for (auto p = t.find(name); p != std::u32string_view::npos; p = t.find(name, p + 1)) {
          if (!mask[p]) {
            add(p, name, id > 0 ? std::optional<Id>(id) : std::nullopt);
            break;
          }
        }
      }
    }
    for (std::size_t i = 0; i < t.size();) {
      const std::size_t h = mask[i] ? 0 : match_at(t, i, honours);
      if (h == 0) {
        ++i;
        continue;
      }
      std::size_t at = i + h;
      while (true) {
        const std::size_t n = name_length_at(t, at, mask);
        if (n == 0) break;
        std::u32string name(t.substr(at, n));
        known.emplace_back(name, 0);
        add(at, std::move(name), std::nullopt);
        at += n;
        // 宣讲员乌云其木格、巴特尔分别……: a list of names after one title.
        if (at < t.size() && t[at] == U'、') {
          ++at;
          continue;
        }
        break;
      }
      i = std::max(at, i + h);
    }
    // A name inside a longer one (图雅 in 那仁图雅) is not a second lecturer.
    std::vector<NameHit> kept;
    for (const auto& h : out) {
      const bool inside = std::any_of(out.begin(), out.end(), [&h](const NameHit& o) {
        return o.name.size() > h.name.size() && o.pos <= h.pos &&
               h.pos + h.name.size() <= o.pos + o.name.size();
      });
      if (!inside) kept.push_back(h);
    }
    out = std::move(kept);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pos < b.pos; });
    return out;
  }

  // 全国劳动模范、包钢集团首席技师 before the name: honours, and the employer the text gives.
  void describe(std::u32string_view t, std::size_t name_pos, Proposal& p) const {
    std::size_t b = name_pos;
    while (b > 0 && t[b - 1] != U'，' && t[b - 1] != U'。' && t[b - 1] != U'；') --b;
    for (const auto* lead : {U"邀请", U"以", U"由", U"组织", U"在"}) {
      const std::u32string_view l(lead);
      const auto at = t.substr(b, name_pos - b).rfind(l);
      if (at != std::u32string_view::npos) b = b + at + l.size();
    }
    std::u32string_view desc = t.substr(b, name_pos - b);
    std::vector<std::u32string> honours_out;
    std::u32string employer;
    while (!desc.empty()) {
      const auto comma = desc.find(U'、');
      std::u32string_view part = desc.substr(0, comma);
      desc = comma == std::u32string_view::npos ? std::u32string_view{} : desc.substr(comma + 1);
      // The last organisation suffix in the part ends the employer.
      std::size_t cut = 0;
      for (std::size_t i = 0; i < part.size(); ++i) {
        if (const std::size_t n = match_at(part, i, org_suffixes); n > 0) cut = i + n;
      }
      if (cut > 0 && cut < part.size()) {
        employer = part.substr(0, cut);
        honours_out.emplace_back(part.substr(cut));
      } else if (!part.empty()) {
        honours_out.emplace_back(part);
      }
    }
    std::u32string joined;
    for (const auto& h : honours_out) {
      if (!joined.empty()) joined += U"、";
      joined += h;
    }
    p.lecturer_honours = encode(joined);
    for (std::size_t i = 0; i < joined.size() && p.lecturer_category.empty(); ++i) {
      if (const auto* m = match_at(joined, i, categories)) p.lecturer_category = m->second;
    }
    p.lecturer_employer = encode(employer);
  }

  std::vector<VenueHit> find_venues(std::u32string_view t, const std::vector<bool>& mask,
                                    std::size_t* first_verb) const {
    std::vector<VenueHit> out;
    for (std::size_t i = 0; i < t.size();) {
      const std::size_t v = mask[i] ? 0 : match_at(t, i, venue_verbs);
      if (v == 0) {
        ++i;
        continue;
      }
      // 在线, 现在, 正在: 在 that is part of a word.
      if (t[i] == U'在' && v == 1) {
        const bool word_after = i + 1 < t.size() && (t[i + 1] == U'线' || t[i + 1] == U'场');
        static constexpr std::u32string_view kBefore = U"现正存实所自好";
        const bool word_before = i > 0 && kBefore.find(t[i - 1]) != std::u32string_view::npos;
        if (word_after || word_before) {
          ++i;
          continue;
        }
      }
      const std::size_t start = i + v;
      std::size_t end = start;
      while (end < t.size() && (mask[end] || match_at(t, end, venue_stops) == 0)) {
        if (mask[end] && end > start && !mask[end - 1]) break;  // a quotation ends the place
        ++end;
      }
      // Cut into places at 、 and at 和/及/与 where a place ends before it or a region starts.
      std::size_t part_start = start;
      bool found = false;
      for (std::size_t k = start; k <= end; ++k) {
        bool cut = k == end || t[k] == U'、';
        if (!cut && (t[k] == U'和' || t[k] == U'及' || t[k] == U'与') && k > part_start) {
          const std::u32string_view left = t.substr(part_start, k - part_start);
          const auto right = find_regions(t.substr(k + 1, end - k - 1));
          cut = ends_with_any(left, place_suffixes) || (!right.empty() && right.front().pos == 0);
        }
        if (!cut) continue;
        std::size_t b = part_start;
        std::size_t e = k;
        while (b < e && (t[b] == U'了' || t[b] == U'到')) ++b;
        while (e > b && (t[e - 1] == U'等' || t[e - 1] == U'内')) --e;
        const std::u32string_view place = t.substr(b, e - b);
        const bool is_place = place.size() >= 2 && !contains_any(place, venue_rejects) &&
                              (ends_with_any(place, place_suffixes) || ends_with_region(place));
        if (is_place) {
          out.push_back({b, e});
          found = true;
        }
        part_start = k + 1;
      }
      if (found && first_verb != nullptr && *first_verb == std::u32string_view::npos) {
        *first_verb = i;
      }
      i = std::max(end, i + 1);
    }
    return out;
  }

  bool ends_with_region(std::u32string_view place) const {
    return std::any_of(regions.begin(), regions.end(), [&](const RegionName& r) {
      return place.size() >= r.name.size() &&
             place.compare(place.size() - r.name.size(), r.name.size(), r.name) == 0;
    });
  }

  std::string find_host(std::u32string_view t, std::size_t body) const {
    // 由X主办 / 由X组织
    for (auto p = t.find(U'由'); p != std::u32string_view::npos; p = t.find(U'由', p + 1)) {
      for (std::size_t e = p + 2; e < t.size() && e < p + 24; ++e) {
        const std::size_t n = match_at(t, e, org_suffixes);
        if (n == 0) continue;
        const std::size_t after = e + n;
        if (after < t.size() && match_at(t, after, host_verbs) > 0) {
          return encode(t.substr(p + 1, after - p - 1));
        }
      }
    }
    // X组织/邀请/在/宣讲团… at the start of the clause: the first organisation a host verb follows.
    for (std::size_t e = body; e < t.size() && e < body + 24 && t[e] != U'，'; ++e) {
      const std::size_t n = match_at(t, e, org_suffixes);
      if (n == 0) continue;
      const std::size_t after = e + n;
      if (after >= body + 3 && after < t.size() && match_at(t, after, host_verbs) > 0) {
        return encode(t.substr(body, after - body));
      }
      e = after - 1;
    }
    return {};
  }

  std::string find_title(std::u32string_view t) const {
    std::string quoted;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const bool book = t[i] == U'《';
      if (!book && t[i] != U'“') continue;
      const char32_t close = book ? U'》' : U'”';
      const auto e = t.find(close, i + 1);
      if (e == std::u32string_view::npos || e == i + 1) continue;
      bool framed = match_at(t, e + 1, title_after) > 0;
      if (book && !framed) {
        for (const auto& w : title_before) {
          if (i >= w.size() && t.compare(i - w.size(), w.size(), w) == 0) framed = true;
        }
      }
      if (framed) {
        std::string title = encode(t.substr(i + 1, e - i - 1));
        if (book) return title;
        if (quoted.empty()) quoted = title;
      }
      i = e;
    }
    return quoted;
  }

  struct Count {
    std::int64_t value = 0;
    Qualifier qualifier = Qualifier::kExact;
  };

  static std::optional<Count> find_count(std::u32string_view t, const std::vector<bool>& mask) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      // 近百名, 上百名, 百余名: a hundred, about or more.
      if (t[i] == U'百' && !mask[i] && i + 1 < t.size() && (i == 0 || !is_digit(t[i - 1]))) {
        const bool more = t[i + 1] == U'余' || t[i + 1] == U'多' || (i > 0 && t[i - 1] == U'上');
        const bool about = i > 0 && t[i - 1] == U'近';
        std::size_t k = i + 1 + ((t[i + 1] == U'余' || t[i + 1] == U'多') ? 1 : 0);
        if ((more || about) && k < t.size() && (t[k] == U'名' || t[k] == U'人' || t[k] == U'位')) {
          return Count{100, about ? Qualifier::kAbout : Qualifier::kAtLeast};
        }
      }
      if (!is_digit(t[i]) || mask[i] || (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == U'.'))) {
        continue;
      }
      std::size_t k = i;
      const auto n = number_at(t, k);
      if (!n || k >= t.size()) continue;
      Qualifier q = Qualifier::kExact;
      if (t[k] == U'余' || t[k] == U'多') {
        q = Qualifier::kAtLeast;
        ++k;
      }
      if (k < t.size() && (t[k] == U'名' || t[k] == U'人' || t[k] == U'位')) {
        if ((i >= 2 && (t.substr(i - 2, 2) == U"超过" || t.substr(i - 2, 2) == U"不少")) ||
            (i >= 1 && t[i - 1] == U'逾')) {
          q = Qualifier::kAtLeast;
        } else if (i >= 1 && (t[i - 1] == U'近' || t[i - 1] == U'约')) {
          q = Qualifier::kAbout;
        }
        return Count{*n, q};
      }
    }
    return std::nullopt;
  }

  std::vector<std::string> find_groups(std::u32string_view t, std::size_t from,
                                       const std::vector<VenueHit>& venues,
                                       const std::vector<bool>& mask) const {
    std::vector<std::string> out;
    for (std::size_t i = from; i < t.size();) {
      bool in_venue = mask[i];
      for (const auto& v : venues) in_venue = in_venue || (i >= v.begin && i < v.end);
      const auto* m = in_venue ? nullptr : match_at(t, i, audience);
      if (m == nullptr) {
        ++i;
        continue;
      }
      if (std::find(out.begin(), out.end(), m->second) == out.end()) out.push_back(m->second);
      i += m->first.size();
    }
    return out;
  }

  void statements(std::u32string_view s, Span span, const std::string& sentence,
                  const std::vector<std::pair<std::u32string, Id>>& known,
                  std::vector<Statement>& out) const {
    const auto base = [&](StatementKind k) {
      Statement st;
      st.kind = k;
      st.sentence = sentence;
      st.sentence_span = span;
      return st;
    };
    // Running totals: 已开展了8场, 累计开展宣讲126场, 共开展宣讲3场.
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
      std::size_t k = i;
      const auto n = number_at(s, k);
      if (!n || k >= s.size() || s[k] != U'场') continue;
      const std::size_t from = i >= 10 ? i - 10 : 0;
      const std::u32string_view before = s.substr(from, i - from);
      const bool total = (before.find(U'已') != std::u32string_view::npos ||
                          before.find(U"累计") != std::u32string_view::npos ||
                          before.find(U'共') != std::u32string_view::npos) &&
                         (before.find(U"开展") != std::u32string_view::npos ||
                          before.find(U"举办") != std::u32string_view::npos ||
                          before.find(U"完成") != std::u32string_view::npos);
      if (!total) continue;
      Statement st = base(StatementKind::kRunningTotal);
      st.count = *n;
      // The name written last before the count; of names ending at the same place (那仁图雅 and
      // a 图雅 someone else is called), the longer.
      std::size_t best_end = 0;
      std::size_t best_size = 0;
      for (const auto& [name, id] : known) {
        const auto p = s.substr(0, i).rfind(name);
        if (p == std::u32string_view::npos) continue;
        const std::size_t end = p + name.size();
        if (end > best_end || (end == best_end && name.size() > best_size)) {
          best_end = end;
          best_size = name.size();
          st.lecturer_name = encode(name);
        }
      }
      out.push_back(std::move(st));
    }
    // Money: 不少于500万元, 326万元, 2.5万元.
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!is_digit(s[i]) || (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == U'.'))) continue;
      std::size_t k = i;
      const auto whole = number_at(s, k);
      if (!whole) continue;
      std::int64_t frac = 0;
      std::int64_t frac_scale = 1;
      if (k + 1 < s.size() && s[k] == U'.' && is_digit(s[k + 1])) {
        ++k;
        while (k < s.size() && is_digit(s[k]) && frac_scale < 100000000) {
          frac = frac * 10 + (s[k] - U'0');
          frac_scale *= 10;
          ++k;
        }
      }
      std::int64_t unit = 1;
      if (k < s.size() && s[k] == U'万') {
        unit = 10000;
        ++k;
      } else if (k < s.size() && s[k] == U'亿') {
        unit = 100000000;
        ++k;
      }
      if (k >= s.size() || s[k] != U'元') continue;
      if (*whole > 100000000000LL / unit) continue;  // beyond any budget: not a sum of money
      Statement st = base(StatementKind::kMoney);
      st.fen = *whole * unit * 100 + frac * unit * 100 / frac_scale;
      const std::size_t from = i >= 4 ? i - 4 : 0;
      const std::u32string_view before = s.substr(from, i - from);
      if (before.find(U"不少于") != std::u32string_view::npos ||
          before.find(U"超过") != std::u32string_view::npos ||
          before.find(U'逾') != std::u32string_view::npos ||
          (k + 1 < s.size() && s.substr(k + 1, 2) == U"以上")) {
        st.qualifier = Qualifier::kAtLeast;
      } else if (before.find(U'近') != std::u32string_view::npos ||
                 before.find(U'约') != std::u32string_view::npos) {
        st.qualifier = Qualifier::kAbout;
      }
      out.push_back(std::move(st));
    }
    // Quotations with a speaker: X说：“…” or “…”X说.
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != U'“') continue;
      const auto e = s.find(U'”', i + 1);
      if (e == std::u32string_view::npos) break;
      const std::u32string_view said = s.substr(i + 1, e - i - 1);
      const bool speech = said.size() >= 8 || said.find(U'，') != std::u32string_view::npos ||
                          (!said.empty() && detail::is_terminal(said.back()));
      std::u32string who;
      if (speech && i >= 2 && (s[i - 1] == U'：' || s[i - 1] == U':') && s[i - 2] == U'说') {
        std::size_t b = i - 2;
        while (b > 0 && s[b - 1] != U'，' && s[b - 1] != U'。' && s[b - 1] != U'”') --b;
        who = s.substr(b, i - 2 - b);
      } else if (speech) {
        std::size_t k = e + 1;
        if (k < s.size() && s[k] == U'，') ++k;
        const auto say = s.find(U'说', k);
        if (say != std::u32string_view::npos && say > k && say - k <= 16 &&
            s.substr(k, say - k).find_first_of(U"，。“") == std::u32string_view::npos) {
          who = s.substr(k, say - k);
        }
      }
      if (!who.empty()) {
        Statement st = base(StatementKind::kQuote);
        st.who = encode(who);
        st.text = encode(said);
        out.push_back(std::move(st));
      }
      i = e;
    }
  }
};

Extractor::Extractor(Rules rules, const Gazetteer& gazetteer)
    : impl_(std::make_unique<const Impl>(std::move(rules), gazetteer)) {}
Extractor::~Extractor() = default;

Extraction Extractor::extract(std::string_view text, int year) const {
  const Impl& im = *impl_;
  Extraction out;
  out.normalized = normalize(text);
  const std::u32string all = decode(out.normalized.text);

  // The document's own region: the most specific one its headings name (a county's brief), else
  // the first league or city named anywhere.
  std::string doc_region;
  for (const auto& b : out.normalized.blocks) {
    if (b.kind != BlockKind::kHeading) continue;
    const std::string r = Impl::most_specific(
        im.find_regions(std::u32string_view(all).substr(b.begin, b.end - b.begin)));
    if (!r.empty()) {
      doc_region = r;
      break;
    }
  }
  for (const auto& f : im.find_regions(all)) {
    if (!doc_region.empty()) break;
    if (f.rank == 1) doc_region = f.code;
  }

  std::vector<std::pair<std::u32string, Id>> known;  // names found in this text so far
  std::optional<Date> last_date;
  std::optional<Date> last_date_to;
  std::vector<NameHit> last_lecturers;

  for (const Span& span : sentences(out.normalized)) {
    const std::u32string_view s =
        std::u32string_view(all).substr(span.begin, span.end - span.begin);
    const std::string sentence = encode(s);
    const std::vector<bool> mask = quoted_mask(s);
    const bool plan = contains_any(s, im.future_markers);
    const bool lecture = contains_any(s, im.lecture_words);

    // Segments: a date that opens a clause starts a new one.
    const auto dates = find_dates(s);
    std::vector<std::size_t> cuts{0};
    for (const auto& d : dates) {
      if (d.begin > 0 && (s[d.begin - 1] == U'，' || s[d.begin - 1] == U'；') && !mask[d.begin]) {
        cuts.push_back(d.begin);
      }
    }
    cuts.push_back(s.size());

    // Lecturers first over the whole sentence, so the names are known to the statements.
    std::vector<NameHit> sentence_names = im.find_lecturers(s, mask, known);
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const std::size_t seg_begin = cuts[c];
      const std::size_t seg_end = cuts[c + 1];
      const std::u32string_view seg = s.substr(seg_begin, seg_end - seg_begin);
      const std::vector<bool> seg_mask(mask.begin() + static_cast<std::ptrdiff_t>(seg_begin),
                                       mask.begin() + static_cast<std::ptrdiff_t>(seg_end));

      // The date of the segment, or the one carried.
      bool date_inherited = true;
      std::size_t body = 0;
      for (const auto& d : dates) {
        if (d.begin < seg_begin || d.begin >= seg_end || seg_mask[d.begin - seg_begin]) continue;
        const int y = d.year > 0 ? d.year : year;
        const auto from = civil_date(y, d.month, d.day);
        if (!from) continue;
        last_date = from;
        last_date_to.reset();
        if (d.to_day > 0) {
          const auto to = civil_date(y, d.to_month, d.to_day);
          if (to && *to > *from) last_date_to = to;
        }
        date_inherited = false;
        if (d.begin - seg_begin <= 8) {  // "本报讯 3月28日，": the clause starts after the date
          body = d.end - seg_begin;
          for (const auto* w : {U"上午", U"下午", U"晚上", U"晚", U"，"}) {
            const std::u32string_view word(w);
            if (starts_with(seg, body, word)) body += word.size();
          }
          if (starts_with(seg, body, U"，")) ++body;
        }
        break;
      }

      std::vector<NameHit> names;
      for (const auto& n : sentence_names) {
        if (n.pos >= seg_begin && n.pos < seg_end)
          names.push_back({n.pos - seg_begin, n.name, n.id, false});
      }
      if (names.empty() && c > 0) {
        for (const auto& n : sentence_names) {
          if (n.pos < seg_begin) names = {{0, n.name, n.id, true}};
        }
      }

      std::size_t first_verb = std::u32string_view::npos;
      std::vector<VenueHit> venues = im.find_venues(seg, seg_mask, &first_verb);
      std::string online_venue;
      std::string format = "offline";
      for (const auto& [phrase, f] : im.formats) {
        if (seg.find(phrase) != std::u32string_view::npos) {
          format = f;
          if (f == "online") online_venue = encode(phrase);
          break;
        }
      }
      // 主会场+分会场: the branch venues are the session's, not sessions of their own.
      std::vector<Proposal::Branch> branches;
      if (format == "hybrid") {
        branches = im.find_branches(seg);
        std::erase_if(venues, [&](const VenueHit& vh) {
          const std::string place = encode(seg.substr(vh.begin, vh.end - vh.begin));
          return std::any_of(branches.begin(), branches.end(), [&](const auto& b) {
            return b.venue.find(place) != std::string::npos;  // the branch, or part of it
          });
        });
      }
      if (!names.empty()) {
        last_lecturers = names;
        for (auto& n : last_lecturers) n.inherited = true;
      }
      if (plan || !last_date) continue;
      const bool online_only =
          venues.empty() && format == "online" && lecture && !names.empty() && !date_inherited;
      if (venues.empty() && !online_only) continue;
      std::vector<NameHit> lecturers = names.empty() ? last_lecturers : names;
      if (lecturers.empty() && !lecture) continue;

      const std::string host = im.find_host(seg, body);
      const OrgMatch host_match =
          match_organisation(host, im.known_organisations, im.known_regions);
      const std::string title = im.find_title(seg);
      const std::size_t group_from = first_verb == std::u32string_view::npos ? 0 : first_verb;
      const auto groups = im.find_groups(seg, group_from, venues, seg_mask);
      const auto count = venues.size() <= 1 ? Impl::find_count(seg, seg_mask) : std::nullopt;
      const std::string seg_region = Impl::most_specific(im.find_regions(seg));

      const std::size_t places = online_only ? 1 : venues.size();
      for (std::size_t v = 0; v < places; ++v) {
        Proposal p;
        p.date = *last_date;
        p.date_to = last_date_to;
        double confidence = 0.95;
        if (date_inherited) confidence -= 0.2;
        // Several lecturers going to as many places (分别): one each; else the first.
        const NameHit* who = nullptr;
        if (!lecturers.empty()) {
          const bool each = seg.find(U"分别") != std::u32string_view::npos;
          who = each && lecturers.size() == places ? &lecturers[v] : &lecturers.front();
        }
        if (who != nullptr) {
          p.lecturer_name = encode(who->name);
          p.lecturer_id = who->id;
          if (!who->id) {
            confidence -= 0.05;
            // Where the name stands in the sentence, for its honours and employer.
            const auto at = s.find(who->name);
            if (at != std::u32string_view::npos) im.describe(s, at, p);
          }
          if (who->inherited) confidence -= 0.2;
        } else {
          confidence -= 0.4;
        }
        if (online_only) {
          p.venue = online_venue;
          p.region_code = seg_region.empty() ? doc_region : seg_region;
        } else {
          const auto& vh = venues[v];
          const std::u32string_view place = seg.substr(vh.begin, vh.end - vh.begin);
          p.venue = encode(place);
          std::string region = Impl::most_specific(im.find_regions(place));
          if (region.empty()) region = seg_region;
          if (region.empty()) region = doc_region;
          p.region_code = region;
        }
        if (p.region_code.empty()) confidence -= 0.1;
        if (!lecture) confidence -= 0.15;
        p.host_organisation = host;
        p.host_organisation_id = host_match.id;
        p.host_match = host_match.kind;
        p.host_match_name = host_match.name;
        p.host_confidence = host_match.confidence;
        if (!groups.empty())
          p.audience_group = groups.size() == places ? groups[v] : groups.front();
        p.format = format;
        if (format == "hybrid") {
          p.branches = branches;
          if (p.branches.empty()) {
            p.format = "offline";
            p.hybrid_reason = "branches_not_named";
          }
        }
        p.title = title;
        if (count) {
          p.audience_count = count->value;
          p.audience_qualifier = count->qualifier;
        }
        p.sentence = sentence;
        p.sentence_span = span;
        p.confidence = std::clamp(confidence, 0.05, 1.0);
        out.proposals.push_back(std::move(p));
      }
    }
    std::vector<std::pair<std::u32string, Id>> names_for_statements = known;
    for (const auto& n : sentence_names)
      names_for_statements.emplace_back(n.name, n.id.value_or(0));
    im.statements(s, span, sentence, names_for_statements, out.statements);
  }
  return out;
}

}  // namespace xj::extract
