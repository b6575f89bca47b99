#include "corpus.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "extract/pdf.hpp"

namespace xj::extract::corpus {

namespace json = boost::json;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string{};
}

}  // namespace

std::vector<Report> load_reports(const std::string& folder) {
  std::vector<Report> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    const auto ext = e.path().extension();
    if (ext == ".txt" || ext == ".pdf") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Report r;
    r.name = f.filename().string();
    const std::string bytes = read(f);
    if (f.extension() == ".pdf") {
      auto t = pdf_text(bytes);
      if (!t) throw std::runtime_error(r.name + ": " + t.error().message.en);
      r.text = std::move(*t);
    } else {
      r.text = bytes;
    }
    auto expected_path = f;
    expected_path.replace_extension(".expected.json");
    const json::object doc = json::parse(read(expected_path)).as_object();
    r.year = static_cast<int>(doc.at("year").as_int64());
    for (const auto& sv : doc.at("sessions").as_array()) {
      const auto& s = sv.as_object();
      ExpectedSession e{str(s, "date"),
                        str(s, "date_to"),
                        str(s, "lecturer_name"),
                        str(s, "venue"),
                        str(s, "host_organisation"),
                        str(s, "region_code"),
                        str(s, "audience_group"),
                        str(s, "format"),
                        str(s, "title"),
                        std::nullopt,
                        {}};
      if (const auto* c = s.if_contains("audience_count"); c != nullptr && c->is_int64()) {
        e.audience_count = c->as_int64();
      }
      if (const auto* b = s.if_contains("branches"); b != nullptr && b->is_array()) {
        for (const auto& v : b->as_array()) {
          if (!e.branches.empty()) e.branches += "、";
          e.branches += std::string(v.as_string());
        }
      }
      r.sessions.push_back(std::move(e));
    }
    for (const auto& sv : doc.at("statements").as_array()) {
      const auto& s = sv.as_object();
      ExpectedStatement st{str(s, "kind"), {}};
      if (st.kind == "running_total") st.key = std::to_string(s.at("count").as_int64());
      if (st.kind == "money") st.key = std::to_string(s.at("fen").as_int64());
      if (st.kind == "quote") st.key = str(s, "text");
      r.statements.push_back(std::move(st));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Gazetteer load_gazetteer(const std::string& folder, const std::string& regions_csv) {
  Gazetteer g;
  std::istringstream csv(read(regions_csv));
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (cells.size() >= 3) g.regions.push_back({cells[0], cells[1], cells[2]});
  }
  const json::object roster =
      json::parse(read(std::filesystem::path(folder) / "roster.json")).as_object();
  for (const auto& l : roster.at("lecturers").as_array()) {
    g.lecturers.push_back({l.at("id").as_int64(), std::string(l.at("name").as_string())});
  }
  return g;
}

}  // namespace xj::extract::corpus
