// Package ini reads INI files the way fail2ban's configuration reader sees
// them: Python's configparser with the settings fail2ban uses (fail2ban
// client/configparserinc.py). It is a leaf so that pkg/config and the regex
// tester share one lexer.
//
// Rules mirrored (see spec config-and-filters.md §1.2):
//   - full-line comments start with '#' or ';' at any indentation, also
//     inside a multi-line value, and do not end the value;
//   - inline comments only with ';' at column 0 or after whitespace;
//   - a line indented deeper than the line that started an option continues
//     it; blank lines inside a value are kept, trailing ones dropped;
//   - keys are lower-cased, section names are case-sensitive, the header is
//     the longest "[...]" prefix of the stripped line;
//   - the same section or key twice in one file is an error (strict mode);
//     lines without '=' or ':' are collected and reported together.
//
// Why not gopkg.in/ini.v1: its continuation handling (only with
// AllowPythonMultilineValues, and then by fixed indentation), its comment
// rules ('#' inline, no comment lines inside values) and its handling of
// duplicate keys cannot express configparser's behaviour above, and every
// difference changes what a fail2ban tree means. The lexer is therefore our
// own, small, and tested line by line against Python's configparser.
//
// Every section and key carries its file and line, and every error prints
// as "file:line: message".
package ini
