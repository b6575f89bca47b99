// `xuanjiang import KIND FILE`: the importer of the web page's 导入, from the command line.
// One subcommand per kind (lecturers, organisations, sessions), so that other imports (a
// report's text, issue 18) sit beside them as `import report FILE`.
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "http/report_imports_json.hpp"
#include "service/imports.hpp"
#include "service/report_imports.hpp"
#include "store/store.hpp"

namespace xj::cli {

namespace {

struct ImportOptions {
  std::string db = default_db();
  std::string file;
  std::string as = "admin";
  bool dry_run = false;
  std::string lang = "zh";
};

void print_report(const service::ImportReport& r, bool zh) {
  const auto& text = [zh](const Message& m) -> const std::string& { return zh ? m.zh : m.en; };
  if (zh) {
    std::cout << "数据行 " << r.rows << "，新建 " << r.created << "，已存在未变 " << r.unchanged
              << "，有错误的行 " << r.error_rows << "\n";
  } else {
    std::cout << "rows " << r.rows << ", created " << r.created << ", unchanged " << r.unchanged
              << ", rows with errors " << r.error_rows << "\n";
  }
  for (const auto& p : r.problems) {
    std::cout << (zh ? "第 " : "row ") << p.row << (zh ? " 行" : "");
    if (!p.column.empty()) {
      std::cout << (zh ? " " : ", column ") << p.column << (zh ? " 列（" : " (") << p.header
                << (zh ? "）" : ")");
    }
    std::cout << (zh ? "：" : ": ") << text(p.message) << "\n";
  }
  if (r.problem_count > static_cast<std::int64_t>(r.problems.size())) {
    std::cout << (zh ? "……另有 " : "... and ")
              << r.problem_count - static_cast<std::int64_t>(r.problems.size())
              << (zh ? " 处错误未列出\n" : " more problems\n");
  }
  if (r.committed) {
    std::cout << (zh ? "已导入。\n" : "Imported.\n");
  } else if (r.dry_run) {
    std::cout << (zh ? "预览：未写入任何数据。\n" : "Dry run: nothing was written.\n");
  } else {
    std::cout << (zh ? "有错误，未导入任何数据。\n" : "Errors: nothing was imported.\n");
  }
}

void run_import(service::ImportKind kind, const ImportOptions& opt) {
  std::ifstream in(opt.file, std::ios::binary);
  if (!in) throw CommandFailed("cannot read " + opt.file);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string file = bytes.str();
  auto store = store::Store::open(opt.db);
  std::optional<domain::Principal> who;
  {
    store::Tx tx = store->read();
    if (const auto c = tx.credentials(opt.as); c && c->account.active) {
      who = tx.principal(c->account.id);
    }
  }
  if (!who) throw CommandFailed("no active account named " + opt.as + " (see --as)");
  who->address = "cli";
  service::Imports imports(*store);
  auto report = imports.run(*who, kind, file, opt.dry_run);
  const bool zh = opt.lang != "en";
  if (!report) {
    throw CommandFailed(zh ? report.error().message.zh : report.error().message.en);
  }
  print_report(*report, zh);
  if (!report->dry_run && !report->committed) throw CommandFailed(zh ? "未导入" : "not imported");
  if (report->dry_run && report->error_rows > 0) {
    throw CommandFailed(zh ? "预览发现错误" : "the dry run found errors");
  }
}

struct ReportOptions {
  std::string db = default_db();
  std::string file;
  std::string as = "admin";
  int year = 0;
  std::optional<Id> campaign;
  bool json = false;
  std::string lang = "zh";
  std::string rules;
};

// `import report FILE`: the proposals of a report, read as the web page reads it; saves nothing.
void run_report(const ReportOptions& opt) {
  const bool zh = opt.lang != "en";
  const auto text_of = [zh](const Message& m) { return zh ? m.zh : m.en; };
  std::ifstream in(opt.file, std::ios::binary);
  if (!in) throw CommandFailed((zh ? "无法读取 " : "cannot read ") + opt.file);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto text = service::report_text_from_file(bytes.str());
  if (!text) throw CommandFailed(text_of(text.error().message));
  auto store = store::Store::open(opt.db);
  std::optional<domain::Principal> who;
  {
    store::Tx tx = store->read();
    if (const auto c = tx.credentials(opt.as); c && c->account.active) {
      who = tx.principal(c->account.id);
    }
  }
  if (!who) throw CommandFailed("no active account named " + opt.as + " (see --as)");
  who->address = "cli";
  service::ReportImports imports(*store, extract_rules(opt.rules));
  auto preview = imports.propose(*who, *text, opt.year, opt.campaign);
  if (!preview) {
    std::string message = text_of(preview.error().message);
    for (const auto& d : preview.error().details)
      message += " " + d.field + ": " + text_of(d.message);
    throw CommandFailed(message);
  }
  if (opt.json) {
    std::cout << boost::json::serialize(http::report_preview_json(*preview, false)) << "\n";
    return;
  }
  for (const auto& rp : preview->proposals) {
    const auto& p = rp.proposal;
    std::cout << p.date.iso() << (p.date_to ? "—" + p.date_to->iso() : "") << "  "
              << p.lecturer_name << "  " << p.venue << "  " << p.region_code << "  "
              << p.audience_group << "  "
              << (p.audience_count ? std::to_string(*p.audience_count) : "-") << "  "
              << static_cast<int>(p.confidence * 100) << "%"
              << (rp.duplicate_of
                      ? (zh ? "  已存在 #" : "  duplicate of #") + std::to_string(*rp.duplicate_of)
                      : "")
              << "\n";
  }
  std::cout << (zh ? "建议记录 " : "proposals: ") << preview->proposals.size()
            << (zh ? " 条，其他信息 " : ", statements: ") << preview->statements.size()
            << (zh ? " 条；未保存任何数据。\n" : "; nothing was saved.\n");
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "import",
      "Import lecturers, organisations or past sessions from a CSV or .xlsx file "
      "(the web page's templates); all rows or none");
  cmd->require_subcommand(1);
  auto opt = std::make_shared<ImportOptions>();
  for (const auto kind : {service::ImportKind::kLecturers, service::ImportKind::kOrganisations,
                          service::ImportKind::kSessions}) {
    const std::string name(service::import_kind_name(kind));
    auto* sub = cmd->add_subcommand(name, "Import " + name + " from FILE (.csv or .xlsx)");
    sub->add_option("file", opt->file, "The spreadsheet")->required();
    sub->add_option("--db", opt->db, "SQLite file or postgresql:// URL (or $XJ_DB)")
        ->capture_default_str();
    sub->add_option("--as", opt->as, "Import as this account: its role and scope apply")
        ->capture_default_str();
    sub->add_flag("--dry-run", opt->dry_run, "Check every row and report; write nothing");
    sub->add_option("--lang", opt->lang, "Language of the report")
        ->check(CLI::IsMember({"zh", "en"}))
        ->capture_default_str();
    sub->callback([kind, opt] { run_import(kind, *opt); });
  }
  auto ropt = std::make_shared<ReportOptions>();
  auto* report = cmd->add_subcommand(
      "report",
      "Read a report (.txt, .docx or .pdf) and print the sessions it proposes; saves nothing");
  report->add_option("file", ropt->file, "The report")->required();
  report->add_option("--year", ropt->year, "The year the report's months and days are in")
      ->required();
  report->add_option("--db", ropt->db, "SQLite file or postgresql:// URL (or $XJ_DB)")
      ->capture_default_str();
  report->add_option("--campaign", ropt->campaign, "The campaign the sessions belong to");
  report->add_option("--as", ropt->as, "Read as this account: its scope's names are matched")
      ->capture_default_str();
  report->add_flag("--json", ropt->json, "Print the proposals as one JSON object");
  report->add_option("--lang", ropt->lang, "Language of the messages")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  report->add_option("--extract-rules", ropt->rules,
                     "Folder of rule files added to the shipped ones (or $XJ_EXTRACT_RULES)");
  report->callback([ropt] { run_report(*ropt); });
}

}  // namespace xj::cli
