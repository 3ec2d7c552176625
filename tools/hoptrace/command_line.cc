#include "command_line.h"

namespace hoptrace::cli {

bool ArgCursor::take_flag(std::initializer_list<std::string_view> names) {
  if (done()) return false;
  for (std::string_view name : names) {
    if (peek() == name) {
      ++next_;
      return true;
    }
  }
  return false;
}

bool ArgCursor::take_option(std::initializer_list<std::string_view> names, std::string& value) {
  if (done()) return false;
  const std::string& arg = peek();
  for (std::string_view name : names) {
    if (arg == name) {
      if (next_ + 1 >= args_.size()) {
        throw UsageError("option " + std::string(name) + " needs a value");
      }
      value = args_[next_ + 1];
      next_ += 2;
      return true;
    }
    if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
        arg[name.size()] == '=') {
      value = arg.substr(name.size() + 1);
      ++next_;
      return true;
    }
  }
  return false;
}

bool ArgCursor::next_is_option() const {
  if (done()) return false;
  const std::string& arg = peek();
  return arg.size() > 1 && arg[0] == '-';
}

bool ArgCursor::take_end_of_options() { return take_flag({"--"}); }

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    std::size_t end = list.find(',', begin);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(begin, end - begin);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    begin = end + 1;
  }
  return items;
}

}  // namespace hoptrace::cli
