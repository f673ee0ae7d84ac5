/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef ROSFW_MERGE_H
#define ROSFW_MERGE_H

/*
 * Runs of RouterOS rules that differ in one matched value become one
 * kernel rule: `counter name KEY map @cm_...`, a lookup that counts into
 * the matching rule's own counter object and, when nothing matches, ends
 * the rule as the match would have. A packet then pays one lookup for the
 * run instead of one rule per RouterOS rule, and print, diff and a
 * re-apply find every rule's counter where they found it before.
 *
 * A run is merged only when that decides every packet as the rules did,
 * in their order:
 *  - its rules are adjacent kernel rules of one chain (a disabled or left
 *    out RouterOS rule between them makes no kernel rule: it decides no
 *    packet), each the only kernel rule of its RouterOS rule;
 *  - they are equal but for one match, of one key (an IPv4 or IPv6
 *    address, a port), equal, in a list, a range or a prefix, and their
 *    counter objects; the match is stateless and so is every match of the
 *    rule (a rate or a count must see only the packets it saw);
 *  - no value of one rule is a value of another (a packet two rules
 *    match would count at the wrong one): a rule that overlaps one before
 *    it starts a new run, one whose own values overlap stands alone;
 *  - at least `min` rules long (merge_min), so small configurations read
 *    as before.
 */

struct ir;

#define MERGE_MIN_RUN 4

/* Merge the runs of every chain of `ir`; how many rules went into runs. */
unsigned long merge_runs(struct ir *ir, unsigned min);

#endif
