// The driver of a fuzz target when libFuzzer is not available (g++ builds, CTest): runs every
// seed of the corpus, then a fixed number of mutations of them from a fixed random sequence, so
// a run is repeatable and bounded. Files given on the command line are run as they are (to
// replay a crash found by libFuzzer).
//
//   xj_fuzz_NAME [--mutations N] [--seed S] [--dict FILE] [FILE|DIR ...]
//
// Without FILE or DIR, the corpus folder compiled in (XJ_FUZZ_CORPUS) is used. --dict adds the
// tokens of a libFuzzer dictionary (lines `"token"` or `name="token"`, with \\, \" and \xNN)
// to the built-in ones.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// splitmix64: a fixed sequence on every platform, so failures reproduce from --seed.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

// Tokens that reach the reader's checks rather than its syntax errors: JSON punctuation and
// literals, boundary numbers, dates and clocks that are almost right, the schema's own keys.
const char* const kTokens[] = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e309",
    "-0",
    "2147483648",
    "0.5",
    "\"\"",
    "\"x\"",
    "2025-02-29",
    "2024-02-29",
    "2025-13-01",
    "1970-01-01",
    "9999-12-31",
    "24:00",
    "23:59",
    "00:00",
    "\"online\"",
    "\"matrix\"",
    "\"great_circle\"",
    "\"id\"",
    "\"orders\"",
    "\"lecturers\"",
    "\"fixed\"",
    "\"window\"",
    "\"booked\"",
    "\"km\"",
    "\"minutes\"",
    "\"ids\"",
    "\"lecturer\"",
    "\"date\"",
    "\"priority\"",
    "\"duration_minutes\"",
    "\xe5\xae\xa3",
    "\xff",
    "\xc0\x80",
};

std::vector<std::string> tokens(std::begin(kTokens), std::end(kTokens));

// Reads the quoted tokens of a libFuzzer dictionary; false if the file cannot be read or a line
// is not a token.
bool read_dict(const std::filesystem::path& p) {
  std::ifstream f(p);
  if (!f) return false;
  std::string line;
  while (std::getline(f, line)) {
    const size_t open = line.find('"');
    if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    const size_t close = line.rfind('"');
    if (open == std::string::npos || close <= open) return false;
    std::string token;
    for (size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        token += line[i];
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        token += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
        i += 3;
      } else {
        token += line[++i];
      }
    }
    tokens.push_back(token);
  }
  return true;
}

std::string mutate(std::string s, const std::vector<std::string>& seeds, Rng& rng) {
  const size_t steps = 1 + rng.below(4);
  for (size_t k = 0; k < steps; ++k) {
    const size_t at = rng.below(s.size() + 1);
    switch (rng.below(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng.below(s.size())] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1:  // insert a token
        s.insert(at, tokens[rng.below(tokens.size())]);
        break;
      case 2:  // delete a range
        s.erase(at, 1 + rng.below(16));
        break;
      case 3: {  // duplicate a range (repeated keys, array elements)
        const size_t len = std::min(s.size() - std::min(at, s.size()), 1 + rng.below(64));
        s.insert(at, s.substr(at, len));
        break;
      }
      case 4: {  // splice in a piece of another seed
        const std::string& o = seeds[rng.below(seeds.size())];
        const size_t from = rng.below(o.size() + 1);
        s.insert(at, o.substr(from, 1 + rng.below(128)));
        break;
      }
      case 5:  // change a digit (dates, clocks, numbers stay well-formed but move)
        for (size_t i = at; i < s.size(); ++i) {
          if (s[i] >= '0' && s[i] <= '9') {
            s[i] = static_cast<char>('0' + rng.below(10));
            break;
          }
        }
        break;
      default:  // truncate
        s.resize(at);
        break;
    }
  }
  return s;
}

bool read(const std::filesystem::path& p, std::string& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

void run(const std::string& s) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 200000;
  uint64_t seed = 1;
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) {
      mutations = std::atol(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--dict" && i + 1 < argc) {
      if (!read_dict(argv[++i])) {
        std::fprintf(stderr, "cannot read the dictionary %s\n", argv[i]);
        return 2;
      }
    } else {
      paths.emplace_back(a);
    }
  }
#ifdef XJ_FUZZ_CORPUS
  if (paths.empty()) paths.emplace_back(XJ_FUZZ_CORPUS);
#endif
  std::vector<std::string> seeds;
  for (const auto& p : paths) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());  // directory order is not fixed
    } else {
      files.push_back(p);
    }
    for (const auto& f : files) {
      std::string s;
      if (!read(f, s)) {
        std::fprintf(stderr, "cannot read %s\n", f.c_str());
        return 2;
      }
      seeds.push_back(std::move(s));
    }
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "no inputs\n");
    return 2;
  }
  for (const auto& s : seeds) run(s);
  // Mutants of mutants now and then, so that several faults can meet in one input.
  Rng rng{seed};
  std::string last = seeds[0];
  for (long i = 0; i < mutations; ++i) {
    const std::string& base = rng.below(4) == 0 ? last : seeds[rng.below(seeds.size())];
    last = mutate(base, seeds, rng);
    run(last);
  }
  std::printf("%zu seeds and %ld mutations (seed %llu): no failure\n", seeds.size(), mutations,
              static_cast<unsigned long long>(seed));
  return 0;
}
