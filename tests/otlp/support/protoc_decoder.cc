#include "protoc_decoder.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#ifndef HOPTRACE_OTLP_PROTO_DIR
#error "HOPTRACE_OTLP_PROTO_DIR must name tests/otlp/proto"
#endif

namespace hoptrace::otlp::testing {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  TextNode parse_fields(bool nested) {
    TextNode node;
    for (;;) {
      skip_space();
      if (pos_ >= s_.size()) {
        if (nested) throw std::runtime_error("text format: missing }");
        return node;
      }
      if (s_[pos_] == '}') {
        if (!nested) throw std::runtime_error("text format: unexpected }");
        ++pos_;
        return node;
      }
      std::string name = identifier();
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == ':') {
        ++pos_;
        skip_space();
      }
      if (pos_ < s_.size() && s_[pos_] == '{') {
        ++pos_;
        node.fields.emplace_back(std::move(name), parse_fields(true));
      } else {
        TextNode leaf;
        leaf.scalar = scalar();
        node.fields.emplace_back(std::move(name), std::move(leaf));
      }
    }
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  std::string identifier() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
      ++pos_;
    }
    if (start == pos_)
      throw std::runtime_error("text format: expected a field name at " + std::to_string(pos_));
    return s_.substr(start, pos_ - start);
  }

  std::string scalar() {
    if (pos_ < s_.size() && s_[pos_] == '"') {
      std::string out;
      while (pos_ < s_.size() && s_[pos_] == '"') {  // adjacent literals concatenate
        ++pos_;
        while (pos_ < s_.size() && s_[pos_] != '"') {
          char c = s_[pos_++];
          if (c != '\\') {
            out.push_back(c);
            continue;
          }
          c = s_[pos_++];
          switch (c) {
            case 'n':
              out.push_back('\n');
              break;
            case 'r':
              out.push_back('\r');
              break;
            case 't':
              out.push_back('\t');
              break;
            case 'x': {
              int v = 0;
              for (int k = 0; k < 2 && std::isxdigit(static_cast<unsigned char>(s_[pos_])); ++k) {
                v = v * 16 + std::stoi(std::string(1, s_[pos_++]), nullptr, 16);
              }
              out.push_back(static_cast<char>(v));
              break;
            }
            default:
              if (c >= '0' && c <= '7') {
                int v = c - '0';
                for (int k = 0; k < 2 && s_[pos_] >= '0' && s_[pos_] <= '7'; ++k) {
                  v = v * 8 + (s_[pos_++] - '0');
                }
                out.push_back(static_cast<char>(v));
              } else {
                out.push_back(c);  // \" \' \\ and friends
              }
          }
        }
        ++pos_;
        skip_space();
      }
      return out;
    }
    const std::size_t start = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != '}') {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

std::optional<std::string> run_protoc(const std::string& args, const std::string& input) {
  const auto protoc = find_protoc();
  if (!protoc) return std::nullopt;
  char in_path[] = "/tmp/hoptrace_otlp_pbXXXXXX";
  const int fd = ::mkstemp(in_path);
  if (fd < 0) return std::nullopt;
  ::close(fd);
  {
    std::ofstream f(in_path, std::ios::binary);
    f.write(input.data(), static_cast<std::streamsize>(input.size()));
  }
  const std::string cmd = *protoc + " " + args + " < " + in_path;
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ::unlink(in_path);
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = ::pclose(p);
  ::unlink(in_path);
  if (rc != 0) return std::nullopt;
  return out;
}

}  // namespace

std::vector<const TextNode*> TextNode::all(const std::string& name) const {
  std::vector<const TextNode*> out;
  for (const auto& f : fields) {
    if (f.first == name) out.push_back(&f.second);
  }
  return out;
}

const TextNode& TextNode::one(const std::string& name) const {
  const auto found = all(name);
  if (found.size() != 1) {
    throw std::runtime_error("expected exactly one field '" + name + "', found " +
                             std::to_string(found.size()));
  }
  return *found.front();
}

std::string TextNode::value(const std::string& name, const std::string& fallback) const {
  const auto found = all(name);
  return found.empty() ? fallback : found.front()->scalar;
}

std::optional<std::string> find_protoc() {
  for (const char* p : {"/usr/bin/protoc", "/usr/local/bin/protoc"}) {
    if (::access(p, X_OK) == 0) return std::string(p);
  }
  return std::nullopt;
}

std::optional<TextNode> decode_raw(const std::string& bytes) {
  const auto out = run_protoc("--decode_raw", bytes);
  if (!out) return std::nullopt;
  return parse_text_format(*out);
}

std::optional<TextNode> decode_otlp(const std::string& bytes, const std::string& message_type) {
  const std::string dir = HOPTRACE_OTLP_PROTO_DIR;
  const auto out = run_protoc("-I" + dir + " --decode " + message_type + " " + dir +
                                  "/opentelemetry/proto/collector/trace/v1/trace_service.proto",
                              bytes);
  if (!out) return std::nullopt;
  return parse_text_format(*out);
}

TextNode parse_text_format(const std::string& text) { return Parser(text).parse_fields(false); }

}  // namespace hoptrace::otlp::testing
