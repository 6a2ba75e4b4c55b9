#ifndef PKTGRID_PREPROCESS_JSON_WRITER_H_
#define PKTGRID_PREPROCESS_JSON_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace pktgrid {
namespace preprocess {

// Minimal streaming JSON writer for the manifest (no JSON library is among
// the build's system dependencies). Commas are inserted automatically;
// output is indented by two spaces per level.
class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(absl::string_view key);
  void String(absl::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Double(double value);
  void Bool(bool value);

  const std::string& str() const { return out_; }

 private:
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void Newline();

  std::string out_;
  int depth_ = 0;
  bool first_ = true;       // no element yet at this level
  bool after_key_ = false;  // the next value follows "key":
};

// JSON string literal with quotes and escapes.
std::string JsonQuote(absl::string_view s);

}  // namespace preprocess
}  // namespace pktgrid

#endif  // PKTGRID_PREPROCESS_JSON_WRITER_H_
