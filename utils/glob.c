/* utils/glob.c: see glob.h. */
#include "utils/glob.h"

static inline unsigned char fold(unsigned char c, bool nocase) {
    return nocase && c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Matches the class starting at pat[p] == '[' against byte c; sets *next to the index
 * just past the class. How far the class reaches does not depend on c. */
static bool match_class(const unsigned char *pat, size_t plen, size_t p, unsigned char c,
                        bool nocase, size_t *next) {
    size_t q = p + 1;
    bool negate = q < plen && pat[q] == '^';
    if (negate) q++;
    bool hit = false;
    c = fold(c, nocase);
    for (;;) {
        if (plen - q >= 2 && pat[q] == '\\') { /* escaped byte */
            hit |= fold(pat[q + 1], nocase) == c;
            q += 2;
        } else if (q >= plen) { /* left open: the class ends with the pattern */
            break;
        } else if (pat[q] == ']') {
            q++;
            break;
        } else if (plen - q >= 3 && pat[q + 1] == '-') { /* range, either order */
            unsigned char lo = pat[q], hi = pat[q + 2];
            if (lo > hi) {
                unsigned char tmp = lo;
                lo = hi;
                hi = tmp;
            }
            /* Order first, fold after (as Redis does): with nocase "[Z-a]" is 'z'..'a',
             * which holds nothing. */
            hit |= c >= fold(lo, nocase) && c <= fold(hi, nocase);
            q += 3;
        } else {
            hit |= fold(pat[q], nocase) == c;
            q++;
        }
    }
    *next = q;
    return hit != negate;
}

/* Matches the single-byte token at pat[p] (not '*') against c; *next is past it. */
static bool match_token(const unsigned char *pat, size_t plen, size_t p, unsigned char c,
                        bool nocase, size_t *next) {
    switch (pat[p]) {
    case '?':
        *next = p + 1;
        return true;
    case '[':
        return match_class(pat, plen, p, c, nocase, next);
    case '\\':
        if (plen - p >= 2) {
            *next = p + 2;
            return fold(pat[p + 1], nocase) == fold(c, nocase);
        }
        /* a lone trailing backslash is itself */
        /* fall through */
    default:
        *next = p + 1;
        return fold(pat[p], nocase) == fold(c, nocase);
    }
}

/* Counts star runs that have more pattern after them (a trailing run needs no
 * backtracking); a '*' inside a class or after a backslash is not a star. */
static bool too_many_stars(const unsigned char *pat, size_t plen) {
    size_t groups = 0, p = 0;
    while (p < plen) {
        if (pat[p] == '*') {
            while (p < plen && pat[p] == '*') p++;
            if (p < plen && ++groups > GLOB_MAX_STARS) return true;
        } else {
            match_token(pat, plen, p, 0, false, &p);
        }
    }
    return false;
}

bool glob_match(const char *pattern, size_t patlen, const char *string, size_t len,
                bool nocase) {
    const unsigned char *pat = (const unsigned char *)pattern;
    const unsigned char *str = (const unsigned char *)string;
    /* Redis never matches an empty string against a non-empty pattern, not even "*"
     * (its KEYS and SCAN treat "*" as "everything" before matching). */
    if (len == 0) return patlen == 0;
    /* Redis gives up on patterns with more than GLOB_MAX_STARS stars followed by
     * more pattern; such a group needs 2 bytes, so only long patterns are counted. */
    if (patlen > 2 * GLOB_MAX_STARS && too_many_stars(pat, patlen)) return false;
    size_t p = 0, s = 0;
    /* Where to resume after the most recent star: pattern index just past it, and the
     * string index the star's match currently ends at. Every token other than '*'
     * consumes exactly one byte, so when a later token fails only the last star needs
     * to grow by one byte: an earlier star's extra bytes could always have been taken
     * by the last one instead. */
    bool have_star = false;
    size_t star_p = 0, star_s = 0;

    while (s < len) {
        if (p < patlen && pat[p] == '*') {
            while (p < patlen && pat[p] == '*') p++;
            if (p == patlen) return true; /* a trailing star takes the rest */
            have_star = true;
            star_p = p;
            star_s = s;
            continue;
        }
        size_t next;
        if (p < patlen && match_token(pat, patlen, p, str[s], nocase, &next)) {
            p = next;
            s++;
            continue;
        }
        if (!have_star) return false;
        p = star_p;
        s = ++star_s;
    }
    while (p < patlen && pat[p] == '*') p++;
    return p == patlen;
}
