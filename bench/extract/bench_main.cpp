// xj_extract_bench: milliseconds per page of the report extractor, and of building it (what the
// server does per request), on the corpus of tests/data/reports. Median of --rounds runs, with
// the CPU time of the whole loop beside the wall time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "extract/pdf.hpp"

namespace ex = xj::extract;

namespace {

template <class F>
double median_ms(int rounds, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 50;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  const std::string folder = "tests/data/reports";
  const auto reports = ex::corpus::load_reports(folder);
  const auto gazetteer = ex::corpus::load_gazetteer(folder, "data/regions.csv");
  auto rules = ex::parse_rules();
  if (!rules) return 1;

  std::printf("%-34s %8s %10s\n", "input", "chars", "ms (median)");
  const double build = median_ms(rounds, [&] { const ex::Extractor e(*rules, gazetteer); });
  std::printf("%-34s %8s %10.3f\n", "build the extractor", "-", build);
  const ex::Extractor extractor(*rules, gazetteer);
  std::string page;
  double sum = 0;
  std::size_t sessions = 0;
  const std::clock_t cpu0 = std::clock();
  for (const auto& r : reports) {
    page += r.text + "\n\n";
    const double ms =
        median_ms(rounds, [&] { sessions += extractor.extract(r.text, r.year).proposals.size(); });
    sum += ms;
    std::printf("%-34s %8zu %10.3f\n", r.name.c_str(), r.text.size() / 3, ms);
  }
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("%-34s %8s %10.3f  (CPU %.1f ms for %d rounds of all)\n", "mean per report", "-",
              sum / static_cast<double>(reports.size()), cpu_ms, rounds);
  const double whole = median_ms(rounds, [&] { extractor.extract(page, 2023); });
  std::printf("%-34s %8zu %10.3f\n", "all reports as one page", page.size() / 3, whole);
  for (const char* pdf : {"13_chifeng_couriers_print.pdf", "14_bayannur_farm_print.pdf"}) {
    const std::string bytes = read(folder + "/" + pdf);
    const double ms = median_ms(rounds, [&] { (void)ex::pdf_text(bytes); });
    std::printf("%-34s %8zu %10.3f  (poppler: the PDF's text)\n", pdf, bytes.size(), ms);
  }
  return sessions > 0 ? 0 : 1;
}
