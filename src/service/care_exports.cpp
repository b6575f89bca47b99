#include "service/care_exports.hpp"

#include <map>

#include "service/care_reports.hpp"

namespace xj::service {

using exports::Cell;
using exports::Column;
using exports::ColumnType;

namespace {

// Yuan for a spreadsheet's number cell: fen are exact integers, and a double of n/100 prints
// back to the same two decimals for any amount the ledger can hold.
double yuan(std::int64_t fen) { return static_cast<double>(fen) / 100.0; }

class Writer {
 public:
  explicit Writer(const CareExport& e) : e_(e), en_(e.english) {}

  std::string t(std::string_view zh, std::string_view en) const {
    return std::string(en_ ? en : zh);
  }

  Result<CareReport> report() {
    if (!e_.programme_id) {
      return Error::bad_request({"请指定帮扶项目（programme_id）", "programme_id is required"},
                                "programme_id");
    }
    return care_report(e_.store, e_.who, *e_.programme_id, e_.organisation_id);
  }

  std::vector<std::string> filters(const CareReport& r) const {
    return {t("帮扶项目：", "Programme: ") + r.programme.title,
            t("组织：", "Organisation: ") + r.organisation_name};
  }

  Status begin(std::string_view zh, std::string_view en, const CareReport& r,
               std::vector<Column> columns) {
    return e_.out.begin({t(zh, en), t(zh, en) + " · " + r.programme.title, e_.notes(filters(r)),
                         std::move(columns)});
  }

  Status disbursements() {
    auto r = report();
    if (!r) return std::move(r).error();
    if (auto s = begin("发放明细", "Disbursements", *r,
                       {{t("日期", "Date"), ColumnType::kDate},
                        {t("发放组织", "Paid by"), ColumnType::kText},
                        {t("对象", "Beneficiary"), ColumnType::kText},
                        {t("姓名或单位", "Name or unit"), ColumnType::kText},
                        {t("身份证号", "ID number"), ColumnType::kText},
                        {t("电话", "Phone"), ColumnType::kText},
                        {t("工作单位", "Employer"), ColumnType::kText},
                        {t("帮扶对象类别", "Category"), ColumnType::kText},
                        {t("帮扶方式", "Kind of aid"), ColumnType::kText},
                        {t("金额（元）", "Amount (yuan)"), ColumnType::kDecimal},
                        {t("文号", "Document no."), ColumnType::kText},
                        {t("开户银行", "Bank"), ColumnType::kText},
                        {t("银行账号", "Bank account"), ColumnType::kText},
                        {t("走访人员", "Visiting officials"), ColumnType::kText},
                        {t("备注", "Note"), ColumnType::kText},
                        {t("再次发放理由", "Reason for paying again"), ColumnType::kText}});
        !s) {
      return s;
    }
    std::map<std::string, std::string> categories;
    for (const auto& c : r->categories) categories[c.code] = c.name;
    std::map<std::string, std::string> kinds;
    for (const auto& k : r->kinds) kinds[k.code] = k.name;
    return each_care_disbursement(
        e_.store, e_.who, *e_.programme_id, r->organisation_id,
        [&](const domain::CareDisbursement& d) {
          const bool person = d.beneficiary_kind == "person" && d.beneficiary;
          const auto cat = categories.find(d.category);
          const auto kind = kinds.find(std::string(domain::aid_kind_name(d.aid_kind)));
          std::vector<Cell> row{
              d.date,
              d.organisation_name,
              person ? t("个人", "Person") : t("单位", "Unit"),
              person ? d.beneficiary->name : d.unit_name,
              person ? d.beneficiary->id_mask : std::string(),
              person ? d.beneficiary->phone_mask : std::string(),
              person ? d.beneficiary->employer : std::string(),
              cat == categories.end() ? d.category : cat->second,
              kind == kinds.end() ? std::string(domain::aid_kind_name(d.aid_kind)) : kind->second,
              yuan(d.amount_fen),
              d.document_no,
              d.bank_name,
              d.bank_account,
              d.officials,
              d.note,
              d.duplicate_reason};
          return e_.out.row(row);
        });
  }

  Status summary() {
    auto r = report();
    if (!r) return std::move(r).error();
    const Column amount{t("金额（元）", "Amount (yuan)"), ColumnType::kDecimal};
    const Column count{t("笔数", "Payments"), ColumnType::kInteger};
    if (auto s = begin("总体", "Totals", *r,
                       {{t("预算（元）", "Budget (yuan)"), ColumnType::kDecimal},
                        {t("到位（元）", "Received (yuan)"), ColumnType::kDecimal},
                        {t("已发放（元）", "Paid (yuan)"), ColumnType::kDecimal},
                        {t("结余（元）", "Still held (yuan)"), ColumnType::kDecimal},
                        count,
                        {t("受助人数", "People"), ColumnType::kInteger},
                        {t("补助单位笔数", "Subsidies to units"), ColumnType::kInteger}});
        !s) {
      return s;
    }
    if (auto s = e_.out.row({yuan(r->budget_fen), yuan(r->received_fen), yuan(r->disbursed_fen),
                             yuan(r->held_fen), r->count, r->people, r->units});
        !s) {
      return s;
    }
    if (auto s = begin("按组织", "By organisation", *r,
                       {{t("组织", "Organisation"), ColumnType::kText},
                        {t("到位（元）", "Received (yuan)"), ColumnType::kDecimal},
                        {t("已发放（元）", "Paid (yuan)"), ColumnType::kDecimal},
                        {t("结余（元）", "Still held (yuan)"), ColumnType::kDecimal},
                        count});
        !s) {
      return s;
    }
    for (const auto& o : r->organisations) {
      const std::string name = o.own ? o.name + t("（本级）", " (itself)") : o.name;
      if (auto s = e_.out.row(
              {name, yuan(o.received_fen), yuan(o.disbursed_fen), yuan(o.held_fen), o.count});
          !s) {
        return s;
      }
    }
    auto breakdown = [&](std::string_view zh, std::string_view en, std::string_view what_zh,
                         std::string_view what_en,
                         const std::vector<CareBreakdown>& lines) -> Status {
      if (auto s = begin(zh, en, *r, {{t(what_zh, what_en), ColumnType::kText}, count, amount});
          !s) {
        return s;
      }
      for (const auto& b : lines) {
        if (auto s = e_.out.row(
                {b.name.empty() ? b.code : (en_ && !b.name_en.empty() ? b.name_en : b.name),
                 b.count, yuan(b.amount_fen)});
            !s) {
          return s;
        }
      }
      return Status{};
    };
    if (auto s = breakdown("按对象类别", "By category", "帮扶对象类别", "Category", r->categories);
        !s) {
      return s;
    }
    if (auto s = breakdown("按帮扶方式", "By kind of aid", "帮扶方式", "Kind of aid", r->kinds);
        !s) {
      return s;
    }
    if (auto s = breakdown("按月份", "By month", "月份", "Month", r->months); !s) return s;
    if (auto s = begin("各级结余", "Held by level", *r,
                       {{t("层级", "Level"), ColumnType::kText},
                        {t("组织数", "Organisations"), ColumnType::kInteger},
                        {t("结余（元）", "Still held (yuan)"), ColumnType::kDecimal}});
        !s) {
      return s;
    }
    for (const auto& l : r->levels) {
      if (auto s = e_.out.row({level(l.level), l.organisations, yuan(l.held_fen)}); !s) return s;
    }
    return Status{};
  }

 private:
  std::string level(const std::string& code) const {
    if (code == "province") return t("省级", "Province");
    if (code == "league") return t("盟市级", "League or city");
    if (code == "county") return t("旗县区级", "Banner or county");
    if (code == "industry") return t("产业工会", "Industry unions");
    if (code == "grassroots") return t("基层", "Grassroots");
    return code;
  }

  const CareExport& e_;
  bool en_;
};

}  // namespace

Status write_care_disbursements(const CareExport& e) { return Writer(e).disbursements(); }
Status write_care_report(const CareExport& e) { return Writer(e).summary(); }

}  // namespace xj::service
