# Helpers every hoptrace target uses: warnings and sanitizers are set per target, never globally.
include_guard(GLOBAL)

function(hoptrace_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
      -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
      -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion -Wformat=2)
    if(HOPTRACE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

function(hoptrace_set_sanitizers target)
  if(HOPTRACE_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${HOPTRACE_SANITIZE} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${HOPTRACE_SANITIZE})
  endif()
endfunction()

# Every first-party target: C++17, warnings, sanitizers.
function(hoptrace_configure_target target)
  target_compile_features(${target} PUBLIC cxx_std_17)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  hoptrace_set_warnings(${target})
  hoptrace_set_sanitizers(${target})
endfunction()
