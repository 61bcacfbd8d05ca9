/* utils/glob.h: Redis-compatible glob matching (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET).
 *
 * Pattern language, byte for byte as Redis matches it:
 *   *        any run of bytes, including none (consecutive stars are one star)
 *   ?        any one byte
 *   \x       the byte x itself; a lone '\' at the very end matches '\'
 *   [...]    one byte from a class; '^' right after '[' negates it. Inside a class:
 *            '\x' is the byte x (a '\' that is the pattern's last byte is itself),
 *            'a-z' is a range and a reversed range 'z-a' means the same,
 *            a ']' ends the class, even right after '[' or '[^' ("[]" matches
 *            nothing, "[^]" any byte). A class left open at the end of the pattern
 *            ends there ("[ab" is "[ab]", "[" matches nothing, "[^" any byte).
 *            A '-' is a range only with a byte after it, so "[a-]" is the range
 *            'a'..']' (that ']' is the range's end, and the class is left open).
 *   other    itself
 * With nocase, ASCII letters compare case-insensitively; a range is put in order
 * first and its ends lowercased after, so with nocase "[Z-a]" matches nothing.
 * Two Redis quirks are kept on purpose: an empty string matches only the empty
 * pattern (not even "*": KEYS and SCAN must treat the pattern "*" as "everything"
 * themselves, as Redis does), and a pattern with more than GLOB_MAX_STARS runs of
 * '*' that are followed by more pattern matches nothing.
 * Patterns and strings are byte strings with explicit lengths (NUL is an ordinary
 * byte). Runs in O(patlen * len) time at worst and constant space: a '*' that fails
 * resumes from the last star only, never re-trying earlier ones.
 *
 * Pure: no allocation, no globals, no I/O.
 */
#ifndef CAIRN_UTILS_GLOB_H
#define CAIRN_UTILS_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#define GLOB_MAX_STARS 1000

bool glob_match(const char *pat, size_t patlen, const char *str, size_t len, bool nocase);

#endif
