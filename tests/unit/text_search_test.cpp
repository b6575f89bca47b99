// The bigrams of the session text index (store/text_search.hpp): a text holding a query holds
// every bigram of it, so the index never loses a match the LIKE would find.
#include "store/text_search.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace xj::store::detail {
namespace {

TEST(TextSearch, BigramWordsAreTheDistinctPairsOfTokenCharacters) {
  EXPECT_EQ(bigram_words("安全生产"), "全生 安全 生产");
  // A repeated pair once; ASCII folded to lower case; a pair with a space or punctuation left out.
  EXPECT_EQ(bigram_words("安全安全"), "全安 安全");
  EXPECT_EQ(bigram_words("Ab c%d"), "ab");
  // Chinese punctuation is a token character to FTS5's `ascii` tokenizer: kept.
  EXPECT_EQ(bigram_words("安，全"), "安， ，全");
  EXPECT_EQ(bigram_words("安"), "");
  EXPECT_EQ(bigram_words(""), "");
}

TEST(TextSearch, AQueryMatchesEveryBigramItHas) {
  EXPECT_EQ(bigram_match("安全"), "\"安全\"");
  EXPECT_EQ(bigram_match("安全生产"), "\"全生\" AND \"安全\" AND \"生产\"");
  EXPECT_EQ(bigram_match("SAFE"), "\"af\" AND \"fe\" AND \"sa\"");
  // Nothing to look up: one character, or characters only beside punctuation and spaces.
  EXPECT_EQ(bigram_match("安"), std::nullopt);
  EXPECT_EQ(bigram_match("a%b"), std::nullopt);
  EXPECT_EQ(bigram_match("安 全"), std::nullopt);
  EXPECT_EQ(bigram_match("\\_"), std::nullopt);
  EXPECT_TRUE(has_bigram("安全"));
  EXPECT_TRUE(has_bigram("a%"));
  EXPECT_FALSE(has_bigram("安"));
  // Exact: one bigram and nothing else, so the index's match needs no recheck.
  EXPECT_TRUE(bigram_exact("安全"));
  EXPECT_TRUE(bigram_exact("Ab"));
  EXPECT_FALSE(bigram_exact("安全生"));
  EXPECT_FALSE(bigram_exact("a%"));
  EXPECT_FALSE(bigram_exact("安"));
}

TEST(TextSearch, EveryBigramOfAQueryIsAWordOfATextHoldingIt) {
  const std::string text = "Hohhot 呼和浩特：安全生产（2022）50% off_x\\y 宣讲";
  const std::string all = " " + bigram_words(text) + " ";
  // Every substring on character boundaries (queries are valid UTF-8).
  auto boundary = [&text](std::size_t i) {
    return i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  };
  for (std::size_t from = 0; from < text.size(); ++from) {
    for (std::size_t n = 1; from + n <= text.size(); ++n) {
      if (!boundary(from) || !boundary(from + n)) continue;
      const std::string query = text.substr(from, n);
      const auto match = bigram_match(query);
      if (!match) continue;
      // Each quoted bigram of the match is one of the text's words.
      for (std::size_t q = match->find('"'); q != std::string::npos;
           q = match->find('"', match->find('"', q + 1) + 1)) {
        const auto end = match->find('"', q + 1);
        const std::string word = match->substr(q + 1, end - q - 1);
        EXPECT_NE(all.find(" " + word + " "), std::string::npos) << query << ": " << word;
      }
    }
  }
}

// The index's words (bigram_words, written for speed) are the query's bigrams (bigram_match,
// written plainly) of the same text, in the same order: a session's words, given again to take
// it out of the index, must be those it was put in with. Random bytes, malformed UTF-8 included.
TEST(TextSearch, TheIndexWordsOfATextAreItsQueryBigrams) {
  std::mt19937 rng(20261205);
  const std::string pieces[] = {
      "安",   "全",   "A",    "b",    "Z",  "9", " ", "%", "，", "\xF0\x9F\x98\x80",
      "\xE5", "\x80", "\xC3", "\xFF", "\n", "_"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const auto length = rng() % 12;
    for (unsigned i = 0; i < length; ++i) text += pieces[rng() % std::size(pieces)];
    std::string expected;
    if (const auto match = bigram_match(text)) {
      for (std::size_t q = match->find('"'); q != std::string::npos;
           q = match->find('"', match->find('"', q + 1) + 1)) {
        const auto end = match->find('"', q + 1);
        expected += (expected.empty() ? "" : " ") + match->substr(q + 1, end - q - 1);
      }
    }
    EXPECT_EQ(bigram_words(text), expected) << text;
  }
}

}  // namespace
}  // namespace xj::store::detail
