#include "service/exports.hpp"

#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "domain/labels.hpp"
#include "service/care_exports.hpp"

namespace xj::service {

using exports::Cell;
using exports::Column;
using exports::ColumnType;

namespace {

// Pages of the lists walked with OFFSET (lecturers, orders, answers: thousands at most).
constexpr std::int64_t kPage = 200;

std::string two(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string compact_date(Date d) {
  return std::to_string(d.year()) + two(d.month()) + two(d.day());
}

Error missing(const char* field, const char* zh, const char* en) {
  return Error::bad_request({zh, en}, field);
}

}  // namespace

std::optional<ExportKind> parse_export_kind(std::string_view name) {
  if (name == "sessions") return ExportKind::kSessions;
  if (name == "lecturers") return ExportKind::kLecturers;
  if (name == "orders") return ExportKind::kOrders;
  if (name == "feedback") return ExportKind::kFeedback;
  if (name == "statistics") return ExportKind::kStatistics;
  if (name == "coverage") return ExportKind::kCoverage;
  if (name == "ranking") return ExportKind::kRanking;
  if (name == "care_disbursements") return ExportKind::kCareDisbursements;
  if (name == "care_report") return ExportKind::kCareReport;
  return std::nullopt;
}

std::string Exports::file_stem(ExportKind kind, bool english, UnixSeconds now) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kStems = {{
      {"宣讲场次台账", "sessions"},
      {"宣讲员名册", "lecturers"},
      {"宣讲需求", "orders"},
      {"评价", "feedback"},
      {"宣讲统计", "statistics"},
      {"覆盖情况", "coverage"},
      {"宣讲员排行", "ranking"},
      {"帮扶发放明细", "care_disbursements"},
      {"帮扶统计", "care_report"},
  }};
  const auto& stem = kStems.at(static_cast<std::size_t>(kind));
  return std::string(english ? stem.second : stem.first) + "_" + compact_date(shanghai_date(now));
}

// One export: the caller, the language, the names of codes, and the notes above each table.
class Exports::Run {
 public:
  Run(Exports& e, const Principal& who, const ExportQuery& q, exports::Writer& out, UnixSeconds now)
      : e_(e), who_(who), q_(q), out_(out), now_(now), en_(q.english) {
    store::Tx tx = e_.store_.read();
    for (const auto kind :
         {domain::DictionaryKind::kAudienceGroup, domain::DictionaryKind::kLecturerCategory,
          domain::DictionaryKind::kTopic}) {
      auto& names = dictionaries_[kind];
      for (const auto& entry : tx.dictionary(kind, true)) {
        names[entry.code] = en_ && !entry.name_en.empty() ? entry.name_en : entry.name;
      }
    }
  }

  Status write() {
    Status s;
    switch (q_.kind) {
      case ExportKind::kSessions:
        s = sessions();
        break;
      case ExportKind::kLecturers:
        s = lecturers();
        break;
      case ExportKind::kOrders:
        s = orders();
        break;
      case ExportKind::kFeedback:
        s = feedback();
        break;
      case ExportKind::kStatistics:
        s = statistics();
        break;
      case ExportKind::kCoverage:
        s = coverage();
        break;
      case ExportKind::kRanking:
        s = ranking();
        break;
      case ExportKind::kCareDisbursements:
      case ExportKind::kCareReport:
        s = care();
        break;
    }
    if (!s) return s;
    return out_.finish();
  }

 private:
  std::string t(std::string_view zh, std::string_view en) const {
    return std::string(en_ ? en : zh);
  }
  std::string label(domain::Label l) const { return std::string(l.in(en_)); }
  std::string named(domain::DictionaryKind kind, const std::string& code) {
    if (code.empty()) return {};
    const auto& names = dictionaries_[kind];
    const auto it = names.find(code);
    return it == names.end() ? code : it->second;
  }
  std::string industry(const std::string& letter) const {
    const auto l = domain::industry_label(letter);
    return l.zh.empty() ? letter : label(l);
  }
  std::string region(const std::string& code) {
    if (code.empty()) return {};
    auto [it, fresh] = regions_.try_emplace(code);
    if (fresh) {
      const auto r = e_.store_.read().region(code);
      it->second = r ? r->name : code;
    }
    return it->second;
  }
  std::string campaign(std::optional<Id> id) {
    if (!id) return {};
    auto [it, fresh] = campaigns_.try_emplace(*id);
    if (fresh) {
      const auto c = e_.records_.get_campaign(who_, *id);
      it->second = c ? c->title : "#" + std::to_string(*id);
    }
    return it->second;
  }
  std::string organisation(Id id) {
    const auto o = e_.records_.get_organisation(who_, id);
    return o ? o->name : "#" + std::to_string(id);
  }
  std::string lecturer(Id id) {
    const auto l = e_.records_.get_lecturer(who_, id);
    return l ? l->name : "#" + std::to_string(id);
  }
  std::string joined(const std::vector<std::string>& parts) const {
    std::string out;
    for (const auto& p : parts) {
      if (p.empty()) continue;
      if (!out.empty()) out += en_ ? ", " : "、";
      out += p;
    }
    return out;
  }

  // The lines above a table: the filters in words, the scope, the time of export.
  std::vector<std::string> notes(const std::vector<std::string>& filters) {
    std::vector<std::string> lines;
    std::string f = t("筛选条件：", "Filters: ");
    if (filters.empty()) {
      f += t("无（全部）", "none (everything)");
    } else {
      for (std::size_t i = 0; i < filters.size(); ++i) {
        if (i > 0) f += en_ ? "; " : "；";
        f += filters[i];
      }
    }
    lines.push_back(std::move(f));
    lines.insert(lines.end(), remarks_.begin(), remarks_.end());
    if (who_.role == domain::Role::kLecturer) {
      lines.push_back(t("数据范围：本人的记录", "Scope: your own records"));
    } else if (const auto me = e_.store_.read().organisation(who_.organisation_id)) {
      lines.push_back(en_ ? "Scope: " + me->name + " and the organisations below it"
                          : "数据范围：" + me->name + "及其下级组织");
    }
    lines.push_back(t("导出时间：", "Exported at: ") + exports::beijing_time(now_) +
                    t("（北京时间）", " (Beijing time)"));
    return lines;
  }
  std::string filter(std::string_view zh, std::string_view en, const std::string& value) const {
    return std::string(en_ ? en : zh) + (en_ ? ": " : "：") + value;
  }
  static std::string quoted(const std::string& text) { return "“" + text + "”"; }
  void dates(std::vector<std::string>& f, const std::optional<Date>& from,
             const std::optional<Date>& to) const {
    if (!from && !to) return;
    const std::string a = from ? from->iso() : "…";
    const std::string b = to ? to->iso() : "…";
    f.push_back(filter("日期", "Dates", en_ ? a + " to " + b : a + " 至 " + b));
  }
  // The campaign and organisation filters, and the region where the list takes one (the
  // statistics take none: a region given there is not written as if it applied).
  void common(std::vector<std::string>& f, std::optional<Id> campaign_id, bool with_region = true) {
    if (campaign_id) f.push_back(filter("宣讲活动", "Campaign", quoted(campaign(campaign_id))));
    if (q_.organisation_id) {
      f.push_back(filter("组织", "Organisation", organisation(*q_.organisation_id)));
    }
    if (with_region && !q_.region_code.empty()) {
      f.push_back(filter("地区", "Region", region(q_.region_code)));
    }
  }

  // The notes of a figure over a period: its days, its campaigns (none: all of them) and the
  // organisation.
  std::vector<std::string> period_filters(const std::optional<Date>& from,
                                          const std::optional<Date>& to,
                                          const std::vector<Id>& campaign_ids) {
    std::vector<std::string> f;
    dates(f, from, to);
    if (!campaign_ids.empty()) {
      std::vector<std::string> names;
      names.reserve(campaign_ids.size());
      for (const Id id : campaign_ids) names.push_back(quoted(campaign(id)));
      f.push_back(filter("宣讲活动", "Campaigns", joined(names)));
    }
    common(f, std::nullopt, false);
    return f;
  }

  Status begin(std::string sheet, std::string title, const std::vector<std::string>& filters,
               std::vector<Column> columns) {
    return out_.begin({std::move(sheet), std::move(title), notes(filters), std::move(columns)});
  }

  // --- 帮扶发放明细, 帮扶统计 (service/care_exports.cpp) ---
  Status care() {
    const CareExport e{e_.store_,
                       who_,
                       q_.programme_id,
                       q_.organisation_id,
                       en_,
                       out_,
                       [this](const std::vector<std::string>& f) { return notes(f); }};
    return q_.kind == ExportKind::kCareReport ? write_care_report(e) : write_care_disbursements(e);
  }

  // --- 宣讲场次台账 ---
  Status sessions() {
    const auto& sf = q_.sessions;
    std::vector<std::string> f;
    common(f, sf.campaign_id);
    if (sf.format) f.push_back(filter("形式", "Format", label(domain::format_label(*sf.format))));
    if (!sf.audience_group.empty()) {
      f.push_back(filter("受众群体", "Audience group",
                         named(domain::DictionaryKind::kAudienceGroup, sf.audience_group)));
    }
    if (sf.lecturer_id) f.push_back(filter("宣讲员", "Lecturer", lecturer(*sf.lecturer_id)));
    dates(f, sf.date_from, sf.date_to);
    if (!sf.q.empty()) f.push_back(filter("关键词", "Search", quoted(sf.q)));
    std::vector<Column> columns = {
        {t("日期", "Date"), ColumnType::kDate},
        {t("开始时间", "Starts"), ColumnType::kText},
        {t("结束时间", "Ends"), ColumnType::kText},
        {t("宣讲活动", "Campaign"), ColumnType::kText},
        {t("宣讲标题", "Title"), ColumnType::kText},
        {t("宣讲员", "Lecturers"), ColumnType::kText},
        {t("举办单位", "Host"), ColumnType::kText},
        {t("地点", "Venue"), ColumnType::kText},
        {t("地区", "Region"), ColumnType::kText},
        {t("行业", "Industry"), ColumnType::kText},
        {t("形式", "Format"), ColumnType::kText},
        {t("受众群体", "Audience group"), ColumnType::kText},
        {t("现场听众", "At the venue"), ColumnType::kInteger},
        {t("线上观看", "Online"), ColumnType::kInteger},
        {t("分会场人数", "Branch venues"), ColumnType::kInteger},
        {t("受众合计", "Audience"), ColumnType::kInteger},
        {t("来源", "Source"), ColumnType::kText},
    };
    if (auto s = begin(t("宣讲场次", "Sessions"), t("宣讲场次台账", "Session ledger"), f,
                       std::move(columns));
        !s) {
      return s;
    }
    std::vector<Cell> row;
    return e_.records_.each_session(
        who_, sf, q_.organisation_id, [&](const std::vector<domain::Session>& batch) -> Status {
          for (const auto& s : batch) {
            std::int64_t branches = 0;
            for (const auto& b : s.branches) branches += b.headcount;
            row.clear();
            row.emplace_back(s.date);
            row.emplace_back(s.start_time ? s.start_time->text() : std::string());
            row.emplace_back(s.end_time ? s.end_time->text() : std::string());
            row.emplace_back(campaign(s.campaign_id));
            row.emplace_back(s.title);
            row.emplace_back(joined(s.lecturer_names));
            row.emplace_back(s.host_organisation_name);
            row.emplace_back(s.venue);
            row.emplace_back(s.region_name.empty() ? s.region_code : s.region_name);
            row.emplace_back(industry(s.industry));
            row.emplace_back(label(domain::format_label(s.format)));
            row.emplace_back(named(domain::DictionaryKind::kAudienceGroup, s.audience_group));
            row.emplace_back(s.audience_offline);
            row.emplace_back(s.online_viewers);
            row.emplace_back(branches);
            row.emplace_back(domain::total_audience(s));
            row.emplace_back(label(domain::source_label(s.source)));
            if (auto st = out_.row(row); !st) return st;
          }
          return {};
        });
  }

  // Walks a list page by page (OFFSET paging) until it has handed on `total` items.
  template <class List, class Each>
  Status walk(List list, Each each) {
    for (std::int64_t page = 1;; ++page) {
      auto got = list(store::PageRequest{page, kPage});
      if (!got) return std::move(got).error();
      for (const auto& item : got->items) {
        if (auto s = each(item); !s) return s;
      }
      if (static_cast<std::int64_t>(got->items.size()) < kPage ||
          (!got->total_capped && page * kPage >= got->total)) {
        return {};
      }
    }
  }

  // --- 宣讲员名册: what the list shows (no phone, no biography) ---
  Status lecturers() {
    const auto& lf = q_.lecturers;
    std::vector<std::string> f;
    if (!lf.q.empty()) f.push_back(filter("姓名", "Name", quoted(lf.q)));
    if (!lf.category.empty()) {
      f.push_back(filter("类别", "Category",
                         named(domain::DictionaryKind::kLecturerCategory, lf.category)));
    }
    if (!q_.region_code.empty()) f.push_back(filter("地区", "Region", region(q_.region_code)));
    if (!lf.topic.empty()) {
      f.push_back(filter("宣讲主题", "Topic", named(domain::DictionaryKind::kTopic, lf.topic)));
    }
    if (lf.active) {
      f.push_back(
          filter("状态", "Status", *lf.active ? t("在册", "Active") : t("停用", "Inactive")));
    }
    std::vector<Column> columns = {
        {t("姓名", "Name"), ColumnType::kText},
        {t("类别", "Category"), ColumnType::kText},
        {t("荣誉称号", "Honours"), ColumnType::kText},
        {t("工作单位", "Employer"), ColumnType::kText},
        {t("地区", "Region"), ColumnType::kText},
        {t("宣讲主题", "Topics"), ColumnType::kText},
        {t("宣讲语言", "Languages"), ColumnType::kText},
        {t("状态", "Status"), ColumnType::kText},
    };
    if (auto s =
            begin(t("宣讲员", "Lecturers"), t("宣讲员名册", "Lecturers"), f, std::move(columns));
        !s) {
      return s;
    }
    std::vector<Cell> row;
    return walk(
        [&](store::PageRequest page) {
          store::LecturerFilter filter = lf;
          filter.page = page;
          return e_.records_.list_lecturers(who_, filter);
        },
        [&](const domain::Lecturer& l) -> Status {
          std::vector<std::string> topics;
          for (const auto& code : l.topics) {
            topics.push_back(named(domain::DictionaryKind::kTopic, code));
          }
          std::vector<std::string> languages;
          for (const auto& code : l.languages) {
            const auto name = domain::language_label(code);
            languages.push_back(name.zh.empty() ? code : label(name));
          }
          row.clear();
          row.emplace_back(l.name);
          row.emplace_back(named(domain::DictionaryKind::kLecturerCategory, l.category));
          row.emplace_back(joined(l.honours));
          row.emplace_back(l.employer);
          row.emplace_back(region(l.region_code));
          row.emplace_back(joined(topics));
          row.emplace_back(joined(languages));
          row.emplace_back(l.active ? t("在册", "Active") : t("停用", "Inactive"));
          return out_.row(row);
        });
  }

  // --- 宣讲需求: what the list shows, with the place (no contact person, no note) ---
  Status orders() {
    const auto& of = q_.orders;
    std::vector<std::string> f;
    if (!of.states.empty()) {
      std::vector<std::string> states;
      for (const auto st : of.states) states.push_back(label(domain::order_state_label(st)));
      f.push_back(filter("状态", "State", joined(states)));
    }
    common(f, of.campaign_id);
    if (of.lecturer_id) f.push_back(filter("宣讲员", "Lecturer", lecturer(*of.lecturer_id)));
    dates(f, of.date_from, of.date_to);
    if (!of.q.empty()) f.push_back(filter("关键词", "Search", quoted(of.q)));
    if (of.sort == store::OrderFilter::Sort::kPriority) {
      f.push_back(filter("排序", "Order", t("按优先级", "by priority")));
    }
    std::vector<Column> columns = {
        {t("编号", "No."), ColumnType::kInteger},
        {t("状态", "State"), ColumnType::kText},
        {t("宣讲活动", "Campaign"), ColumnType::kText},
        {t("点单单位", "Ordered by"), ColumnType::kText},
        {t("地区", "Region"), ColumnType::kText},
        {t("地点", "Place"), ColumnType::kText},
        {t("期望开始日期", "Window from"), ColumnType::kDate},
        {t("期望结束日期", "Window to"), ColumnType::kDate},
        {t("宣讲日期", "Lecture date"), ColumnType::kDate},
        {t("受众群体", "Audience group"), ColumnType::kText},
        {t("预计人数", "Expected audience"), ColumnType::kInteger},
        {t("形式", "Format"), ColumnType::kText},
        {t("宣讲主题", "Topic"), ColumnType::kText},
        {t("优先级", "Priority"), ColumnType::kText},
        {t("宣讲员", "Lecturer"), ColumnType::kText},
        {t("提交时间", "Submitted"), ColumnType::kInstant},
    };
    if (auto s = begin(t("宣讲需求", "Orders"), t("宣讲需求（点单）", "Lecture orders"), f,
                       std::move(columns));
        !s) {
      return s;
    }
    std::vector<Cell> row;
    return walk(
        [&](store::PageRequest page) {
          store::OrderFilter filter = of;
          filter.page = page;
          return e_.workflow_.list_orders(who_, filter, q_.organisation_id);
        },
        [&](const domain::Order& o) -> Status {
          // P1 is the most urgent: the API's priority 5 (web/src/utils/priority.ts).
          const int level = 6 - std::clamp(o.priority, 1, 5);
          static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kLevels = {
              {{"P1 最高", "P1 highest"},
               {"P2 较高", "P2 high"},
               {"P3 一般", "P3 normal"},
               {"P4 较低", "P4 low"},
               {"P5 最低", "P5 lowest"}}};
          const auto& words = kLevels.at(static_cast<std::size_t>(level - 1));
          row.clear();
          row.emplace_back(o.id);
          row.emplace_back(label(domain::order_state_label(o.state)));
          row.emplace_back(o.campaign_title);
          row.emplace_back(o.organisation_name);
          row.emplace_back(o.region_name.empty() ? o.region_code : o.region_name);
          row.emplace_back(o.address);
          row.emplace_back(o.window_from);
          row.emplace_back(o.window_to);
          if (o.date) {
            row.emplace_back(*o.date);
          } else {
            row.emplace_back(std::monostate{});
          }
          row.emplace_back(named(domain::DictionaryKind::kAudienceGroup, o.audience_group));
          row.emplace_back(o.expected_audience);
          row.emplace_back(label(domain::format_label(o.preferred_format)));
          row.emplace_back(named(domain::DictionaryKind::kTopic, o.topic));
          row.emplace_back(std::string(en_ ? words.second : words.first));
          row.emplace_back(o.lecturer_name);
          row.emplace_back(exports::Instant{o.created_at});
          return out_.row(row);
        });
  }

  // --- 评价 of one session: what the session page lists (no browser, no address) ---
  Status feedback() {
    if (!q_.session_id) {
      return missing("session_id", "导出评价需要指定场次（session_id）",
                     "exporting feedback needs the session (session_id)");
    }
    const auto session = e_.records_.get_session(who_, *q_.session_id);
    if (!session) return session.error();
    std::vector<std::string> f;
    f.push_back(filter("场次", "Session", quoted(session->title) + " " + session->date.iso()));
    if (q_.quotes_only) f.push_back(t("只含精彩语录", "quotes only"));
    std::vector<Column> columns = {
        {t("时间", "When"), ColumnType::kInstant},
        {t("评分", "Rating"), ColumnType::kInteger},
        {t("评价内容", "Comment"), ColumnType::kText},
        {t("听众群体", "Audience group"), ColumnType::kText},
        {t("来源", "Channel"), ColumnType::kText},
        {t("精彩语录", "Quote"), ColumnType::kText},
    };
    if (auto s = begin(t("评价", "Feedback"), t("宣讲评价", "Feedback") + " · " + session->title, f,
                       std::move(columns));
        !s) {
      return s;
    }
    std::vector<Cell> row;
    for (std::int64_t page = 1;; ++page) {
      auto got = e_.feedback_.report(who_, *q_.session_id, {page, kPage}, q_.quotes_only);
      if (!got) return std::move(got).error();
      for (const auto& a : got->answers.items) {
        row.clear();
        row.emplace_back(exports::Instant{a.at});
        row.emplace_back(static_cast<std::int64_t>(a.rating));
        row.emplace_back(a.comment);
        row.emplace_back(named(domain::DictionaryKind::kAudienceGroup, a.audience_group));
        row.emplace_back(a.channel == "qr" ? t("扫码评价", "QR form")
                                           : t("工作人员录入", "Entered by staff"));
        row.emplace_back(a.quote ? t("是", "Yes") : std::string());
        if (auto s = out_.row(row); !s) return s;
      }
      const auto n = static_cast<std::int64_t>(got->answers.items.size());
      if (n < kPage || page * kPage >= got->answers.total) return {};
    }
  }

  // --- 统计: each table of the campaign's statistics, one worksheet each ---
  Status statistics() {
    if (q_.campaign_id) {
      auto figures = e_.statistics_.campaign(who_, *q_.campaign_id, q_.organisation_id);
      if (!figures) return std::move(figures).error();
      return statistics_tables(*figures);
    }
    if (q_.period) {
      auto figures = e_.statistics_.period(who_, *q_.period, q_.today);
      if (!figures) return std::move(figures).error();
      return period_tables(*figures);
    }
    return missing("campaign_id",
                   "导出统计需要指定宣讲活动（campaign_id）或统计期间（from、to、campaign_ids）",
                   "exporting statistics needs the campaign (campaign_id) or a period (from, to, "
                   "campaign_ids)");
  }

  // --- 覆盖情况: the matrices of GET /statistics/coverage, and the cells behind or empty ---
  Status coverage() {
    service::CoverageQuery query;
    query.period = q_.period.value_or(PeriodQuery{});
    query.grain = q_.grain;
    query.level = q_.level;
    auto cov = e_.statistics_.coverage(who_, query, q_.today);
    if (!cov) return std::move(cov).error();
    std::vector<std::string> f = period_filters(cov->from, cov->to, cov->campaign_ids);
    const bool weekly = cov->grain == domain::CoverageGrain::kWeek;
    f.push_back(filter("时间粒度", "Columns", weekly ? t("按周", "weeks") : t("按月", "months")));
    remarks_.push_back(t("标记说明：空白＝没有宣讲；落后＝低于各项目标按天数折算、截至 ",
                         "Marks: empty = no session; behind = below the targets' share of the "
                         "days up to ") +
                       cov->today.iso() + t(" 应完成的数", ""));
    const bool counties = cov->level == "county";
    const std::string where =
        counties ? t("旗县区", "Banner or county") : t("盟市", "League or city");
    const std::string suffix = " · " + cov->from.iso() + (en_ ? " to " : " 至 ") + cov->to.iso();
    auto period_name = [&](const CoverageHead& h) {
      if (!weekly) {
        return en_ ? h.key : h.key.substr(0, 4) + "年" + std::to_string(h.first->month()) + "月";
      }
      auto md = [&](Date d) {
        return en_ ? d.iso().substr(5)
                   : std::to_string(d.month()) + "月" + std::to_string(d.day()) + "日";
      };
      return md(*h.first) + "–" + md(*h.last);
    };
    auto group_name = [&](const CoverageHead& h) {
      const std::string& n = en_ && !h.name_en.empty() ? h.name_en : h.name;
      return n.empty() ? h.key : n;
    };
    auto row_names = [&](const CoverageRow& r) -> std::vector<Cell> {
      std::vector<Cell> cells{r.name.empty() ? region(r.code) : r.name};
      if (counties) cells.emplace_back(r.parent.empty() ? std::string{} : region(r.parent));
      return cells;
    };
    // One matrix: a row per place, a column per week, month or group, and the totals.
    auto matrix = [&](std::string_view zh, std::string_view en, const CoverageMatrix& m,
                      const std::function<std::string(const CoverageHead&)>& head,
                      bool audience) -> Status {
      std::vector<Column> columns{{where, ColumnType::kText}};
      if (counties) columns.push_back({t("所属盟市", "League or city"), ColumnType::kText});
      for (const auto& h : m.columns) columns.push_back({head(h), ColumnType::kInteger});
      columns.push_back({t("合计", "Total"), ColumnType::kInteger});
      if (auto s = begin(t(zh, en), t(zh, en) + suffix, f, std::move(columns)); !s) return s;
      auto figure = [&](const CoverageCell& c) -> Cell {
        return audience ? c.audience : c.sessions;
      };
      for (const auto& r : m.rows) {
        std::vector<Cell> cells = row_names(r);
        for (const auto& c : r.cells) cells.push_back(figure(c));
        cells.push_back(figure(r.total));
        if (auto s = out_.row(cells); !s) return s;
      }
      std::vector<Cell> total{t("合计", "Total")};
      if (counties) total.emplace_back(std::string{});
      for (const auto& h : m.columns) total.push_back(figure(h.total));
      total.push_back(figure(m.total));
      return out_.row(total);
    };
    if (auto s =
            matrix("覆盖情况（场次）", "Coverage (sessions)", cov->by_period, period_name, false);
        !s) {
      return s;
    }
    if (auto s = matrix("覆盖情况（受众人次）", "Coverage (audience)", cov->by_period, period_name,
                        true);
        !s) {
      return s;
    }
    if (auto s = matrix("受众群体覆盖（场次）", "Audience groups (sessions)", cov->by_group,
                        group_name, false);
        !s) {
      return s;
    }
    if (auto s = matrix("受众群体覆盖（受众人次）", "Audience groups (audience)", cov->by_group,
                        group_name, true);
        !s) {
      return s;
    }
    // The gaps as a list, to work through: every cell left empty or behind.
    std::vector<Column> columns{{where, ColumnType::kText}};
    if (counties) columns.push_back({t("所属盟市", "League or city"), ColumnType::kText});
    for (Column c : std::initializer_list<Column>{
             {t("时段或受众群体", "Period or audience group"), ColumnType::kText},
             {t("情况", "Mark"), ColumnType::kText},
             {t("场次", "Sessions"), ColumnType::kInteger},
             {t("应完成场次", "Sessions expected"), ColumnType::kInteger},
             {t("受众人次", "Audience"), ColumnType::kInteger},
             {t("应完成受众", "Audience expected"), ColumnType::kInteger}}) {
      columns.push_back(std::move(c));
    }
    if (auto s =
            begin(t("覆盖缺口", "Gaps"), t("覆盖缺口", "Gaps") + suffix, f, std::move(columns));
        !s) {
      return s;
    }
    auto gaps = [&](const CoverageMatrix& m,
                    const std::function<std::string(const CoverageHead&)>& head) -> Status {
      for (const auto& r : m.rows) {
        for (std::size_t i = 0; i < r.cells.size() && i < m.columns.size(); ++i) {
          const auto& c = r.cells[i];
          if (c.mark != domain::CoverageMark::kEmpty && c.mark != domain::CoverageMark::kBehind) {
            continue;
          }
          std::vector<Cell> cells = row_names(r);
          cells.emplace_back(head(m.columns[i]));
          cells.emplace_back(c.mark == domain::CoverageMark::kEmpty ? t("空白", "empty")
                                                                    : t("落后", "behind"));
          for (const std::int64_t n :
               {c.sessions, c.expected_sessions, c.audience, c.expected_audience}) {
            cells.emplace_back(n);
          }
          if (auto s = out_.row(cells); !s) return s;
        }
      }
      return Status{};
    };
    if (auto s = gaps(cov->by_period, period_name); !s) return s;
    return gaps(cov->by_group, group_name);
  }

  // --- 宣讲员排行: GET /lecturers/scorecards, with its formula above the table ---
  Status ranking() {
    const PeriodQuery period = q_.period.value_or(PeriodQuery{});
    RankingQuery query;
    query.from = period.from;
    query.to = period.to;
    query.campaign_ids = period.campaign_ids;
    query.organisation_id = period.organisation_id;
    query.sort = q_.sort;
    auto ranking = e_.scorecards_.ranking(who_, query);
    if (!ranking) return std::move(ranking).error();
    std::vector<std::string> f = period_filters(query.from, query.to, query.campaign_ids);
    remarks_.push_back(t("综合得分：", "Score: ") +
                       (en_ ? ranking->formula.en : ranking->formula.zh));
    if (auto s =
            begin(t("宣讲员排行", "Lecturer ranking"), t("宣讲员排行", "Lecturer ranking"), f,
                  {{t("排名", "Rank"), ColumnType::kInteger},
                   {t("姓名", "Name"), ColumnType::kText},
                   {t("类别", "Category"), ColumnType::kText},
                   {t("状态", "State"), ColumnType::kText},
                   {t("综合得分", "Score"), ColumnType::kDecimal},
                   {t("场次", "Sessions"), ColumnType::kInteger},
                   {t("受众人次", "Audience"), ColumnType::kInteger},
                   {t("扫码签到后评价（条）", "Verified answers"), ColumnType::kInteger},
                   {t("扫码签到后评价均分", "Verified average"), ColumnType::kDecimal},
                   {t("未签到扫码评价（条）", "Unverified answers"), ColumnType::kInteger},
                   {t("未签到扫码评价均分", "Unverified average"), ColumnType::kDecimal},
                   {t("工作人员录入评价（条）", "Staff-entered answers"), ColumnType::kInteger},
                   {t("工作人员录入评价均分", "Staff-entered average"), ColumnType::kDecimal},
                   {t("点单单位评单（条）", "Ordering unions' ratings"), ColumnType::kInteger},
                   {t("点单单位评单均分", "Ordering unions' average"), ColumnType::kDecimal},
                   {t("派单次数", "Dispatched"), ColumnType::kInteger},
                   {t("接单", "Accepted"), ColumnType::kInteger},
                   {t("谢绝", "Declined"), ColumnType::kInteger},
                   {t("接单用时中位数（小时）", "Median hours to accept"), ColumnType::kDecimal}});
        !s) {
      return s;
    }
    auto average = [](const RatingFigures& r) -> Cell {
      if (!r.average) return std::monostate{};
      return std::round(*r.average * 100) / 100;
    };
    for (const auto& e : ranking->items) {
      const auto& x = e.figures;
      Cell hours = std::monostate{};
      if (x.orders.median_acceptance_seconds) {
        hours = std::round(static_cast<double>(*x.orders.median_acceptance_seconds) / 36) / 100;
      }
      if (auto s =
              out_.row({std::int64_t{e.rank}, x.name,
                        named(domain::DictionaryKind::kLecturerCategory, x.category),
                        x.active ? t("在册", "active") : t("停用", "inactive"),
                        std::round(x.score * 100) / 100, x.sessions, x.audience, x.verified.count,
                        average(x.verified), x.unverified.count, average(x.unverified),
                        x.staff.count, average(x.staff), x.unions.count, average(x.unions),
                        x.orders.dispatched, x.orders.accepted, x.orders.declined, hours});
          !s) {
        return s;
      }
    }
    return Status{};
  }

  // The tables of GET /statistics, each beside the same days a year before.
  Status period_tables(const PeriodFigures& fig) {
    std::vector<std::string> f = period_filters(fig.from, fig.to, fig.campaign_ids);
    const std::string previous = en_ ? fig.previous_from.iso() + " to " + fig.previous_to.iso()
                                     : fig.previous_from.iso() + " 至 " + fig.previous_to.iso();
    f.push_back(filter("同比期间", "A year before", previous));
    const std::string suffix = " · " + fig.from.iso() + (en_ ? " to " : " 至 ") + fig.to.iso();
    auto compared = [&](std::string_view zh, std::string_view en, std::string_view what_zh,
                        std::string_view what_en, const std::vector<Compared>& items,
                        const std::function<std::string(const Compared&)>& name) -> Status {
      if (auto s = begin(t(zh, en), t(zh, en) + suffix, f,
                         {{t(what_zh, what_en), ColumnType::kText},
                          {t("场次", "Sessions"), ColumnType::kInteger},
                          {t("受众人次", "Audience"), ColumnType::kInteger},
                          {t("上年同期场次", "Sessions a year before"), ColumnType::kInteger},
                          {t("上年同期受众", "Audience a year before"), ColumnType::kInteger}});
          !s) {
        return s;
      }
      for (const auto& c : items) {
        if (auto s = out_.row(
                {name(c), c.sessions, c.audience, c.previous_sessions, c.previous_audience});
            !s) {
          return s;
        }
      }
      return Status{};
    };
    auto named_or_code = [&](const Compared& c) {
      const std::string& n = en_ && !c.name_en.empty() ? c.name_en : c.name;
      return n.empty() ? c.code : n;
    };
    auto place = [&](const Compared& c) {
      const std::string n = named_or_code(c);
      return c.parent.empty() ? n : region(c.parent) + " " + n;
    };
    struct Part {
      std::string_view zh, en, what_zh, what_en;
      const std::vector<Compared>& items;
      std::function<std::string(const Compared&)> name;
    };
    const std::vector<Part> parts{
        {"盟市", "Leagues and cities", "盟市", "League or city", fig.leagues, named_or_code},
        {"旗县区", "Counties", "旗县区", "County", fig.counties, place},
        {"行业分布", "Industries", "行业（国民经济行业门类）", "Industry (GB/T 4754 section)",
         fig.industries,
         [&](const Compared& c) {
           return c.code.empty() ? t("未注明行业", "Not recorded") : industry(c.code);
         }},
        {"受众群体", "Audience groups", "受众群体", "Audience group", fig.audience_groups,
         named_or_code},
        {"宣讲员类别", "Lecturer categories", "宣讲员类别", "Category", fig.lecturer_categories,
         named_or_code},
        {"宣讲形式", "Formats", "宣讲形式", "Format", fig.formats,
         [&](const Compared& c) {
           const auto format = domain::parse_format(c.code);
           return format ? label(domain::format_label(*format)) : c.code;
         }},
        {"月度", "Months", "月份", "Month", fig.months, [](const Compared& c) { return c.code; }},
    };
    for (const auto& p : parts) {
      if (auto s = compared(p.zh, p.en, p.what_zh, p.what_en, p.items, p.name); !s) return s;
    }
    if (auto s = weekly_table(f, suffix, fig.weekly); !s) return s;
    return lecturers_table(f, suffix, fig.lecturers);
  }

  Status weekly_table(const std::vector<std::string>& f, const std::string& suffix,
                      const std::vector<WeekFigures>& weeks) {
    if (auto s = begin(t("每周宣讲趋势", "Weekly"), t("每周宣讲趋势", "Weekly") + suffix, f,
                       {{t("周一日期", "Week of"), ColumnType::kDate},
                        {t("场次", "Sessions"), ColumnType::kInteger},
                        {t("受众人次", "Audience"), ColumnType::kInteger}});
        !s) {
      return s;
    }
    for (const auto& w : weeks) {
      if (auto s = out_.row({w.week_start, w.sessions, w.audience}); !s) return s;
    }
    return Status{};
  }

  Status lecturers_table(const std::vector<std::string>& f, const std::string& suffix,
                         const std::vector<LecturerFigures>& lecturers) {
    if (auto s = begin(t("宣讲员场次排行", "Top lecturers"),
                       t("宣讲员场次排行", "Top lecturers") + suffix, f,
                       {{t("排名", "Rank"), ColumnType::kInteger},
                        {t("姓名", "Name"), ColumnType::kText},
                        {t("场次", "Sessions"), ColumnType::kInteger},
                        {t("受众人次", "Audience"), ColumnType::kInteger},
                        {t("平均评分", "Average rating"), ColumnType::kDecimal}});
        !s) {
      return s;
    }
    std::int64_t rank = 0;
    for (const auto& l : lecturers) {
      Cell rating = std::monostate{};
      if (l.average_rating) rating = std::round(*l.average_rating * 100) / 100;
      if (auto s = out_.row({++rank, l.tally.name, l.tally.sessions, l.tally.audience, rating});
          !s) {
        return s;
      }
    }
    return Status{};
  }

  // The tables of today's GET /campaigns/{id}/statistics. The one place that knows them: point
  // it at the new statistics when they come.
  Status statistics_tables(const CampaignFigures& fig) {
    std::vector<std::string> f;
    common(f, fig.campaign_id, false);
    const std::string suffix = " · " + campaign(fig.campaign_id);
    auto table = [&](std::string_view zh, std::string_view en, std::vector<Column> columns,
                     const std::function<Status()>& rows) -> Status {
      if (auto s = begin(t(zh, en), t(zh, en) + suffix, f, std::move(columns)); !s) return s;
      return rows();
    };
    const Column sessions{t("场次", "Sessions"), ColumnType::kInteger};
    const Column audience{t("受众人次", "Audience"), ColumnType::kInteger};
    auto breakdown = [&](std::string_view zh, std::string_view en, std::string_view what_zh,
                         std::string_view what_en, const std::vector<Breakdown>& items,
                         const std::function<std::string(const Breakdown&)>& name) {
      return table(zh, en, {{t(what_zh, what_en), ColumnType::kText}, sessions, audience}, [&] {
        for (const auto& b : items) {
          if (auto s = out_.row({name(b), b.sessions, b.audience}); !s) return s;
        }
        return Status{};
      });
    };
    auto dictionary_name = [&](const Breakdown& b) {
      const std::string& n = en_ && !b.name_en.empty() ? b.name_en : b.name;
      return n.empty() ? b.code : n;
    };

    if (auto s = table("盟市完成情况", "Leagues and cities",
                       {{t("盟市", "League or city"), ColumnType::kText},
                        sessions,
                        audience,
                        {t("目标场次", "Target sessions"), ColumnType::kInteger},
                        {t("目标受众", "Target audience"), ColumnType::kInteger}},
                       [&] {
                         for (const auto& l : fig.leagues) {
                           if (auto st = out_.row({l.region.name, l.sessions, l.audience,
                                                   l.target_sessions, l.target_audience});
                               !st) {
                             return st;
                           }
                         }
                         return Status{};
                       });
        !s) {
      return s;
    }
    if (auto s = breakdown("受众群体", "Audience groups", "受众群体", "Audience group",
                           fig.audience_groups, dictionary_name);
        !s) {
      return s;
    }
    if (auto s = breakdown("行业分布", "Industries", "行业（国民经济行业门类）",
                           "Industry (GB/T 4754 section)", fig.industries,
                           [&](const Breakdown& b) {
                             return b.code.empty() ? t("未注明行业", "Not recorded")
                                                   : industry(b.code);
                           });
        !s) {
      return s;
    }
    if (auto s = breakdown("宣讲员类别", "Lecturer categories", "宣讲员类别", "Category",
                           fig.lecturer_categories, dictionary_name);
        !s) {
      return s;
    }
    if (auto s = weekly_table(f, suffix, fig.weekly); !s) return s;
    if (auto s = lecturers_table(f, suffix, fig.lecturers); !s) return s;
    return table("目标完成进度", "Targets",
                 {{t("地区", "Region"), ColumnType::kText},
                  {t("受众群体", "Audience group"), ColumnType::kText},
                  {t("目标场次", "Target sessions"), ColumnType::kInteger},
                  {t("完成场次", "Sessions"), ColumnType::kInteger},
                  {t("目标受众", "Target audience"), ColumnType::kInteger},
                  {t("完成受众", "Audience"), ColumnType::kInteger}},
                 [&] {
                   for (const auto& p : fig.targets) {
                     const std::string where =
                         p.target.region_code.empty()
                             ? t("全活动", "Whole campaign")
                             : (p.region_name.empty() ? p.target.region_code : p.region_name);
                     const std::string group = p.target.audience_group.empty()
                                                   ? t("全部群体", "All groups")
                                                   : named(domain::DictionaryKind::kAudienceGroup,
                                                           p.target.audience_group);
                     if (auto st = out_.row({where, group, p.target.sessions, p.sessions,
                                             p.target.audience, p.audience});
                         !st) {
                       return st;
                     }
                   }
                   return Status{};
                 });
  }

  Exports& e_;
  const Principal& who_;
  const ExportQuery& q_;
  exports::Writer& out_;
  UnixSeconds now_;
  bool en_;
  std::map<domain::DictionaryKind, std::map<std::string, std::string>> dictionaries_;
  std::map<std::string, std::string> regions_;
  std::map<Id, std::string> campaigns_;
  std::vector<std::string> remarks_;  // lines under the filters: how to read the table
};

Status Exports::write(const Principal& who, const ExportQuery& query, exports::Writer& out,
                      UnixSeconds now) {
  Run run(*this, who, query, out, now);
  return run.write();
}

}  // namespace xj::service
