/*
 * mapbench: the native baseline of iommu-stress's device loop.
 *
 * The same workload as src/device-loop.ts with completion fifo, written in C
 * with pthreads, so that `npm run bench` can say what the JavaScript harness
 * costs against the same algorithm compiled ahead of time:
 *
 *   - a 4-level radix IO page table, 512 Int32 entries a level, with the
 *     encoding of src/pte.ts (bit 0 valid, bit 1 leaf, R/W bits, target << 4);
 *   - one pool of table pages shared by every domain: a Treiber stack whose
 *     head carries an ABA tag (src/table-pool.ts);
 *   - refcount-style tables: per-table live counts updated under the
 *     page-table lock, missing tables installed with a store, empty tables
 *     freed at once, never the root (the default --table-style refcount);
 *   - a bitmap IOVA allocator per domain over a window centred on pfn 2^27,
 *     searched next-fit from a cursor (src/iova.ts), sized as src/layout.ts
 *     sizes it;
 *   - per domain a page-table lock and an allocator lock, each on its own
 *     cache line: a ticket spinlock on C11 atomics, or pthread_mutex.
 *
 * Each thread is one device. Each operation, as DeviceLoop.step():
 *   complete (once the ring of `inflight` buffers is full, the oldest):
 *     unmap under the page-table lock, probe that the IOVA no longer
 *     translates, free the IOVA under the allocator lock;
 *   issue: allocate an IOVA range under the allocator lock, map it under the
 *     page-table lock, DMA = walk every page lock-free, check it lands on the
 *     device's own frame, bump that frame's tag.
 *
 * What it leaves out: the harness's own bookkeeping (operation counters,
 * lock_stat, shadows, phases), which `npm run bench` measures on its own
 * (the stats on/off comparison). Table entries are read and written with
 * relaxed/release atomics, as the kernel's READ_ONCE/WRITE_ONCE; JavaScript's
 * Atomics are always sequentially consistent.
 *
 * Usage: mapbench [--threads N] [--domains private|shared] [--ops N]
 *                 [--pages K] [--inflight M] [--lock ticket|mutex]
 * Prints one JSON line; exit 0 clean, 1 a check failed, 2 bad arguments.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- geometry and entry encoding (src/pte.ts) ------------------------- */
enum { LEVELS = 4, LEAF_LEVEL = 3, LEVEL_BITS = 9, ENTRIES = 512 };
#define PTE_VALID 1
#define PTE_LEAF 2
#define PTE_READ 4
#define PTE_WRITE 8
#define PTE_SHIFT 4
#define PROT_RW (PTE_READ | PTE_WRITE)
#define PTE_MAX_TARGET ((1 << 27) - 1)
#define WALK_FAULT (-1)
#define WALK_CORRUPT (-16)
/* src/layout.ts: windows centred on pfn 2^27, at most 2^26 pages. */
#define IOVA_CENTRE_PFN (INT64_C(1) << 27)
#define MAX_WINDOW_PAGES (1 << 26)
#define CACHE_LINE 64

static inline int level_index(int64_t pfn, int level) {
  return (int)((pfn >> (LEVEL_BITS * (LEAF_LEVEL - level))) & (ENTRIES - 1));
}
static inline int32_t mk_table_pte(int32_t table) { return (table << PTE_SHIFT) | PTE_VALID; }
static inline int32_t mk_leaf_pte(int32_t frame) { return (frame << PTE_SHIFT) | PTE_VALID | PTE_LEAF | PROT_RW; }
static inline int32_t pte_target(int32_t e) { return (int32_t)((uint32_t)e >> PTE_SHIFT); }
static inline int is_valid(int32_t e) { return (e & PTE_VALID) != 0; }
static inline int is_leaf(int32_t e) { return (e & PTE_LEAF) != 0; }

/* Table entries are read by the lock-free walk while a writer changes them. */
#define READ_ONCE(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)
#define WRITE_ONCE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELAXED)
#define PUBLISH(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* ---- locks -------------------------------------------------------------- */
enum lock_kind { LOCK_TICKET, LOCK_MUTEX };
static enum lock_kind lock_kind = LOCK_TICKET;

/* One lock a cache line, as the harness's lock lines. */
struct lock {
  _Alignas(CACHE_LINE) atomic_uint next; /* ticket: next ticket handed out */
  atomic_uint owner;                     /* ticket: ticket now served */
  pthread_mutex_t mutex;
};

static void lock_init(struct lock *l) {
  atomic_init(&l->next, 0);
  atomic_init(&l->owner, 0);
  pthread_mutex_init(&l->mutex, NULL);
}

static inline void lock_acquire(struct lock *l) {
  if (lock_kind == LOCK_MUTEX) {
    pthread_mutex_lock(&l->mutex);
    return;
  }
  unsigned t = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
  while (atomic_load_explicit(&l->owner, memory_order_acquire) != t) cpu_relax();
}

static inline void lock_release(struct lock *l) {
  if (lock_kind == LOCK_MUTEX) {
    pthread_mutex_unlock(&l->mutex);
    return;
  }
  /* Only the holder writes owner. */
  unsigned o = atomic_load_explicit(&l->owner, memory_order_relaxed);
  atomic_store_explicit(&l->owner, o + 1, memory_order_release);
}

/* ---- the table pool (src/table-pool.ts) --------------------------------- */
/* head = tag << 32 | index; next[index] = the index below it, 0 = end. Table 0 is never used. */
static _Alignas(CACHE_LINE) _Atomic uint64_t pool_head;
static _Alignas(CACHE_LINE) atomic_int pool_free;
static int32_t n_tables;
static _Atomic int32_t *pool_next;
static int32_t *pool_count; /* live entries, refcount style; written under the page-table lock */
static int32_t *tables;     /* n_tables x ENTRIES */

static void pool_init(void) {
  for (int32_t t = 1; t < n_tables; t++) atomic_init(&pool_next[t], t + 1 < n_tables ? t + 1 : 0);
  atomic_init(&pool_free, n_tables - 1);
  atomic_init(&pool_head, n_tables > 1 ? 1 : 0);
}

/* Pop a zeroed table; 0 when the pool is empty. */
static int32_t pool_alloc(void) {
  uint64_t h = atomic_load_explicit(&pool_head, memory_order_acquire);
  int32_t t;
  for (;;) {
    t = (int32_t)(h & 0xffffffffu);
    if (t == 0) return 0;
    uint64_t below = (uint64_t)atomic_load_explicit(&pool_next[t], memory_order_relaxed);
    uint64_t want = (((h >> 32) + 1) << 32) | below;
    if (atomic_compare_exchange_weak_explicit(&pool_head, &h, want, memory_order_acq_rel, memory_order_acquire)) break;
  }
  atomic_fetch_sub_explicit(&pool_free, 1, memory_order_relaxed);
  memset(&tables[(size_t)t * ENTRIES], 0, ENTRIES * sizeof(int32_t));
  pool_count[t] = 0;
  return t;
}

static void pool_release(int32_t t) {
  uint64_t h = atomic_load_explicit(&pool_head, memory_order_relaxed);
  for (;;) {
    atomic_store_explicit(&pool_next[t], (int32_t)(h & 0xffffffffu), memory_order_relaxed);
    uint64_t want = (((h >> 32) + 1) << 32) | (uint32_t)t;
    if (atomic_compare_exchange_weak_explicit(&pool_head, &h, want, memory_order_acq_rel, memory_order_relaxed)) break;
  }
  atomic_fetch_add_explicit(&pool_free, 1, memory_order_relaxed);
}

/* ---- domains --------------------------------------------------------------- */
struct domain {
  struct lock pt_lock;
  struct lock alloc_lock;
  _Alignas(CACHE_LINE) int32_t root;
  uint32_t *bitmap; /* one bit a page of the window; under alloc_lock */
  int32_t cursor;   /* next-fit cursor (page offset); under alloc_lock */
  int32_t allocated;
};

static int32_t window_pages;
static int64_t iova_base_pfn;

/* ---- IOVA allocator (src/iova.ts) ---------------------------------------- */
#define NO_IOVA (-1)

/* First run of `pages` clear bits starting in [from, to) and ending by the window's end. */
static int32_t find_run(const uint32_t *bm, int32_t from, int32_t to, int32_t pages) {
  const int32_t end = window_pages;
  int32_t run = 0;
  int32_t p = from;
  while (p < end && (run > 0 || p < to)) {
    if ((p & 31) == 0 && p + 32 <= end) {
      uint32_t w = bm[p >> 5];
      if (w == 0) {
        run += 32;
        p += 32;
        if (run >= pages) return p - run;
        continue;
      }
      if (w == 0xffffffffu) {
        run = 0;
        p += 32;
        continue;
      }
    }
    if (bm[p >> 5] & (1u << (p & 31))) {
      run = 0;
    } else if (++run == pages) {
      return p - pages + 1;
    }
    p++;
  }
  return NO_IOVA;
}

/* Caller holds d->alloc_lock. */
static int32_t iova_alloc(struct domain *d, int32_t pages) {
  int32_t cursor = d->cursor;
  int32_t off = find_run(d->bitmap, cursor, window_pages, pages);
  if (off == NO_IOVA) {
    int32_t to = cursor + pages - 1;
    off = find_run(d->bitmap, 0, to < window_pages ? to : window_pages, pages);
  }
  if (off == NO_IOVA) return NO_IOVA;
  for (int32_t i = off; i < off + pages; i++) d->bitmap[i >> 5] |= 1u << (i & 31);
  int32_t next = off + pages;
  d->cursor = next >= window_pages ? 0 : next;
  d->allocated += pages;
  return off;
}

/* Caller holds d->alloc_lock. Returns the pages that were not allocated (a double free). */
static int32_t iova_free(struct domain *d, int32_t off, int32_t pages) {
  int32_t missing = 0;
  for (int32_t i = off; i < off + pages; i++) {
    uint32_t bit = 1u << (i & 31);
    if ((d->bitmap[i >> 5] & bit) == 0) missing++;
    d->bitmap[i >> 5] &= ~bit;
  }
  d->allocated -= pages - missing;
  return missing;
}

/* ---- a device: one thread ------------------------------------------------ */
struct device {
  _Alignas(CACHE_LINE) pthread_t thread;
  int id;
  struct domain *dom;
  int32_t *slot_off; /* window offset of each in-flight buffer */
  int32_t path_table[LEVELS];
  int32_t *path_entry[LEVELS];
  uint64_t ops;
  uint64_t violations;
  struct timespec start, end;
};

static int32_t pages_per_buffer;
static int32_t inflight;
static uint64_t ops_per_thread;
static int32_t total_frames;
static int32_t frames_per_worker;
static int32_t *tags; /* one word a frame: DMAs that landed in it */
static pthread_barrier_t start_barrier;

static inline int32_t slot_frame(const struct device *d, int32_t slot) {
  return d->id * frames_per_worker + slot * pages_per_buffer;
}

/* ---- the page table (src/pgtable.ts, refcount style) --------------------- */

/* The hardware walk: no lock. The leaf entry (> 0), WALK_FAULT, or WALK_CORRUPT. */
static inline int32_t walk(int32_t root, int64_t pfn) {
  int32_t t = root;
  for (int level = 0; level < LEAF_LEVEL; level++) {
    int32_t e = READ_ONCE(tables[(size_t)t * ENTRIES + level_index(pfn, level)]);
    if (!is_valid(e)) return WALK_FAULT;
    t = pte_target(e);
    if (is_leaf(e) || t >= n_tables) return WALK_CORRUPT;
  }
  int32_t leaf = READ_ONCE(tables[(size_t)t * ENTRIES + (pfn & (ENTRIES - 1))]);
  if (!is_valid(leaf)) return WALK_FAULT;
  if (!is_leaf(leaf)) return WALK_CORRUPT;
  return leaf;
}

/* Install a table at entry `at` of `parent`; the entry now there, 0 if the pool is empty. Under the page-table lock. */
static int32_t install(struct device *d, int32_t parent, int32_t *at) {
  int32_t fresh = pool_alloc();
  if (fresh == 0) {
    d->violations++;
    return 0;
  }
  int32_t pte = mk_table_pte(fresh);
  PUBLISH(*at, pte);
  pool_count[parent]++;
  return pte;
}

/* The leaf table covering `pfn`, building missing tables if `build`; 0 if none. Records the path. */
static int32_t descend(struct device *d, int32_t root, int64_t pfn, int build) {
  int32_t t = root;
  for (int level = 0; level < LEAF_LEVEL; level++) {
    int32_t *at = &tables[(size_t)t * ENTRIES + level_index(pfn, level)];
    d->path_table[level] = t;
    d->path_entry[level] = at;
    int32_t e = READ_ONCE(*at);
    if (!is_valid(e)) {
      if (!build) return 0;
      e = install(d, t, at);
      if (e == 0) return 0;
    }
    int32_t next = pte_target(e);
    if (is_leaf(e) || next >= n_tables || next == 0) {
      d->violations++;
      return 0;
    }
    t = next;
  }
  d->path_table[LEAF_LEVEL] = t;
  return t;
}

/* Map `pages` pages from `pfn` to `frame`, ... Under the page-table lock. */
static int map_pages(struct device *d, int32_t root, int64_t pfn, int32_t pages, int32_t frame) {
  int32_t done = 0;
  while (done < pages) {
    int64_t p = pfn + done;
    int32_t t = descend(d, root, p, 1);
    if (t == 0) return 0;
    int32_t idx = (int32_t)(p & (ENTRIES - 1));
    int32_t n = pages - done < ENTRIES - idx ? pages - done : ENTRIES - idx;
    int32_t *at = &tables[(size_t)t * ENTRIES + idx];
    for (int32_t j = 0; j < n; j++) {
      if (is_valid(READ_ONCE(at[j]))) d->violations++;
      PUBLISH(at[j], mk_leaf_pte(frame + done + j));
    }
    pool_count[t] += n;
    done += n;
  }
  return 1;
}

/* The leaf table of the last descent is empty: free it and every table above that empties (never the root). */
static void free_empty(struct device *d) {
  for (int level = LEAF_LEVEL; level > 0; level--) {
    int32_t t = d->path_table[level];
    if (pool_count[t] > 0) return;
    int32_t parent = d->path_table[level - 1];
    WRITE_ONCE(*d->path_entry[level - 1], 0);
    pool_release(t);
    pool_count[parent]--;
  }
}

/* Unmap `pages` pages from `pfn`, checking each held `frame`, ... Under the page-table lock. */
static void unmap_pages(struct device *d, int32_t root, int64_t pfn, int32_t pages, int32_t frame) {
  int32_t done = 0;
  while (done < pages) {
    int64_t p = pfn + done;
    int32_t idx = (int32_t)(p & (ENTRIES - 1));
    int32_t n = pages - done < ENTRIES - idx ? pages - done : ENTRIES - idx;
    int32_t t = descend(d, root, p, 0);
    if (t == 0) {
      d->violations += (uint64_t)n;
      done += n;
      continue;
    }
    int32_t *at = &tables[(size_t)t * ENTRIES + idx];
    int32_t gone = 0;
    for (int32_t j = 0; j < n; j++) {
      int32_t old = READ_ONCE(at[j]);
      WRITE_ONCE(at[j], 0);
      if (!is_valid(old)) {
        d->violations++;
      } else {
        gone++;
        if (pte_target(old) != frame + done + j) d->violations++;
      }
    }
    pool_count[t] -= gone;
    if (pool_count[t] <= 0) free_empty(d);
    done += n;
  }
}

/* ---- the device loop (src/device-loop.ts, completion fifo) ---------------- */

static void complete(struct device *d, int32_t slot) {
  struct domain *dom = d->dom;
  int32_t off = d->slot_off[slot];
  int64_t pfn = iova_base_pfn + off;
  int32_t frame = slot_frame(d, slot);

  lock_acquire(&dom->pt_lock);
  unmap_pages(d, dom->root, pfn, pages_per_buffer, frame);
  lock_release(&dom->pt_lock);
  /* The IOVA is still ours until freed: nothing may translate it now. */
  if (walk(dom->root, pfn) > 0) d->violations++;

  lock_acquire(&dom->alloc_lock);
  int32_t missing = iova_free(dom, off, pages_per_buffer);
  lock_release(&dom->alloc_lock);
  if (missing != 0) d->violations++;
}

static int issue(struct device *d, int32_t slot) {
  struct domain *dom = d->dom;
  lock_acquire(&dom->alloc_lock);
  int32_t off = iova_alloc(dom, pages_per_buffer);
  lock_release(&dom->alloc_lock);
  if (off == NO_IOVA) {
    d->violations++;
    return 0;
  }
  d->slot_off[slot] = off;
  int64_t pfn = iova_base_pfn + off;
  int32_t frame = slot_frame(d, slot);

  lock_acquire(&dom->pt_lock);
  int ok = map_pages(d, dom->root, pfn, pages_per_buffer, frame);
  lock_release(&dom->pt_lock);
  if (!ok) return 0;

  /* DMA: every page through the lock-free walk, onto the device's own frame. */
  for (int32_t i = 0; i < pages_per_buffer; i++) {
    int32_t r = walk(dom->root, pfn + i);
    if (r <= 0) {
      d->violations++;
      continue;
    }
    int32_t got = pte_target(r);
    if (got != frame + i) d->violations++;
    if (got < total_frames) tags[got]++;
  }
  return 1;
}

static void *device_main(void *arg) {
  struct device *d = arg;
  pthread_barrier_wait(&start_barrier);
  clock_gettime(CLOCK_MONOTONIC, &d->start);
  uint64_t op = 0;
  for (; op < ops_per_thread; op++) {
    int32_t slot;
    if (op < (uint64_t)inflight) {
      slot = (int32_t)op;
    } else {
      slot = (int32_t)(op % (uint64_t)inflight);
      complete(d, slot);
    }
    if (!issue(d, slot)) break;
  }
  clock_gettime(CLOCK_MONOTONIC, &d->end);
  d->ops = op;
  return NULL;
}

/* ---- setup, run, report -------------------------------------------------- */

static int64_t next_pow2(int64_t n) {
  int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}

/* src/layout.ts tablesForWindow. */
static int64_t tables_for_window(int64_t w) {
  return (w + ENTRIES - 1) / ENTRIES + 1 + (w + (int64_t)ENTRIES * ENTRIES - 1) / ((int64_t)ENTRIES * ENTRIES) + 1 + 2 + 1;
}

static double ns_of(struct timespec t) { return (double)t.tv_sec * 1e9 + (double)t.tv_nsec; }

static void *xalloc(size_t bytes) {
  void *p = NULL;
  if (posix_memalign(&p, CACHE_LINE, bytes) != 0) {
    fprintf(stderr, "mapbench: out of memory (%zu bytes)\n", bytes);
    exit(3);
  }
  memset(p, 0, bytes);
  return p;
}

static int usage(const char *why) {
  fprintf(stderr,
          "mapbench: %s\nusage: mapbench [--threads N] [--domains private|shared] [--ops N] [--pages K] "
          "[--inflight M] [--lock ticket|mutex]\n",
          why);
  return 2;
}

static int parse_int(const char *s, long long min, long long max, long long *out) {
  char *end = NULL;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end != '\0' || v < min || v > max) return 0;
  *out = v;
  return 1;
}

int main(int argc, char **argv) {
  long long threads = 1, ops = 100000, pages = 1, infl = 4;
  int shared = 0;
  static const struct option opts[] = {
      {"threads", required_argument, NULL, 't'}, {"domains", required_argument, NULL, 'd'},
      {"ops", required_argument, NULL, 'o'},     {"pages", required_argument, NULL, 'p'},
      {"inflight", required_argument, NULL, 'i'}, {"lock", required_argument, NULL, 'l'},
      {NULL, 0, NULL, 0},
  };
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
      case 't': if (!parse_int(optarg, 1, 256, &threads)) return usage("--threads: an integer from 1 to 256"); break;
      case 'o': if (!parse_int(optarg, 1, (long long)1e12, &ops)) return usage("--ops: an integer from 1 to 1e12"); break;
      case 'p': if (!parse_int(optarg, 1, 4096, &pages)) return usage("--pages: an integer from 1 to 4096"); break;
      case 'i': if (!parse_int(optarg, 1, 1024, &infl)) return usage("--inflight: an integer from 1 to 1024"); break;
      case 'd':
        if (strcmp(optarg, "shared") == 0) shared = 1;
        else if (strcmp(optarg, "private") == 0) shared = 0;
        else return usage("--domains: private or shared");
        break;
      case 'l':
        if (strcmp(optarg, "ticket") == 0) lock_kind = LOCK_TICKET;
        else if (strcmp(optarg, "mutex") == 0) lock_kind = LOCK_MUTEX;
        else return usage("--lock: ticket or mutex");
        break;
      default: return usage("unknown option");
    }
  }
  if (optind != argc) return usage("unexpected argument");

  pages_per_buffer = (int32_t)pages;
  inflight = (int32_t)infl;
  ops_per_thread = (uint64_t)ops;
  int n_domains = shared ? 1 : (int)threads;
  int64_t group = shared ? threads : 1;
  /* src/layout.ts computeLayout: room for 8x the pages live in a domain, at least 1024. */
  int64_t live = group * infl * pages;
  int64_t w = next_pow2(live * 8);
  if (w < 1024) w = 1024;
  if (w > MAX_WINDOW_PAGES) return usage("too many pages live in one domain");
  window_pages = (int32_t)w;
  iova_base_pfn = IOVA_CENTRE_PFN - window_pages / 2;
  frames_per_worker = (int32_t)(infl * pages);
  int64_t frames = (int64_t)frames_per_worker * threads;
  if (frames > PTE_MAX_TARGET) return usage("too many frames");
  total_frames = (int32_t)frames;
  int64_t nt = 1 + 2 * n_domains * tables_for_window(window_pages) + 4 * threads;
  if (nt > (1 << 20)) return usage("too many page-table pages");
  n_tables = (int32_t)nt;

  tables = xalloc((size_t)n_tables * ENTRIES * sizeof(int32_t));
  pool_next = xalloc((size_t)n_tables * sizeof(*pool_next));
  pool_count = xalloc((size_t)n_tables * sizeof(int32_t));
  tags = xalloc((size_t)total_frames * sizeof(int32_t));
  pool_init();

  struct domain *domains = xalloc((size_t)n_domains * sizeof(struct domain));
  size_t bitmap_words = ((size_t)window_pages / 32 + 15) / 16 * 16;
  for (int i = 0; i < n_domains; i++) {
    struct domain *dom = &domains[i];
    lock_init(&dom->pt_lock);
    lock_init(&dom->alloc_lock);
    dom->root = pool_alloc();
    dom->bitmap = xalloc(bitmap_words * sizeof(uint32_t));
  }
  struct device *devs = xalloc((size_t)threads * sizeof(struct device));
  pthread_barrier_init(&start_barrier, NULL, (unsigned)threads);
  for (int i = 0; i < threads; i++) {
    devs[i].id = i;
    devs[i].dom = &domains[shared ? 0 : i];
    devs[i].slot_off = xalloc((size_t)inflight * sizeof(int32_t));
  }
  for (int i = 0; i < threads; i++) {
    if (pthread_create(&devs[i].thread, NULL, device_main, &devs[i]) != 0) {
      fprintf(stderr, "mapbench: pthread_create failed\n");
      return 3;
    }
  }
  for (int i = 0; i < threads; i++) pthread_join(devs[i].thread, NULL);

  /* Checks after the run: every op done, no violation, every live buffer still translates, frame tags add up. */
  double start = ns_of(devs[0].start), end = ns_of(devs[0].end);
  uint64_t total_ops = 0, violations = 0;
  for (int i = 0; i < threads; i++) {
    struct device *d = &devs[i];
    if (ns_of(d->start) < start) start = ns_of(d->start);
    if (ns_of(d->end) > end) end = ns_of(d->end);
    total_ops += d->ops;
    violations += d->violations;
    if (d->ops != ops_per_thread) violations++;
    int32_t live_slots = d->ops < (uint64_t)inflight ? (int32_t)d->ops : inflight;
    for (int32_t s = 0; s < live_slots; s++) {
      for (int32_t j = 0; j < pages_per_buffer; j++) {
        int32_t r = walk(d->dom->root, iova_base_pfn + d->slot_off[s] + j);
        if (r <= 0 || pte_target(r) != slot_frame(d, s) + j) violations++;
      }
    }
  }
  uint64_t tag_sum = 0;
  for (int32_t f = 0; f < total_frames; f++) tag_sum += (uint64_t)tags[f];
  if (tag_sum != total_ops * (uint64_t)pages_per_buffer) violations++;

  double wall = end - start;
  printf("{\"bench\":\"mapbench\",\"threads\":%lld,\"domains\":\"%s\",\"lock\":\"%s\",\"ops\":%lld,\"pages\":%lld,"
         "\"inflight\":%lld,\"completion\":\"fifo\",\"tableStyle\":\"refcount\",\"windowPages\":%d,\"iovaBasePfn\":%lld,"
         "\"totalOps\":%llu,\"wallNs\":%.0f,\"nsPerOp\":%.3f,\"opsPerThread\":[",
         threads, shared ? "shared" : "private", lock_kind == LOCK_MUTEX ? "mutex" : "ticket", ops, pages, infl,
         window_pages, (long long)iova_base_pfn, (unsigned long long)total_ops, wall,
         total_ops > 0 ? wall / (double)total_ops : 0.0);
  for (int i = 0; i < threads; i++) printf("%s%llu", i ? "," : "", (unsigned long long)devs[i].ops);
  printf("],\"violations\":%llu}\n", (unsigned long long)violations);
  return violations == 0 ? 0 : 1;
}
