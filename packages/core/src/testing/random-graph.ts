/**
 * A random connected graph: a random Hamiltonian path first (so it is connected), then random edges until
 * every node has between minDegree and maxDegree neighbours (as far as the others' caps allow).
 */
export function randomConnectedGraph(n: number, minDegree: number, maxDegree: number, random: () => number): Set<number>[] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  const link = (a: number, b: number) => {
    adj[a]!.add(b);
    adj[b]!.add(a);
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 1; i < n; i++) link(order[i - 1]!, order[i]!);
  for (let a = 0; a < n; a++) {
    const want = minDegree + Math.floor(random() * (maxDegree - minDegree + 1));
    for (let tries = 0; adj[a]!.size < want && tries < 200; tries++) {
      const b = Math.floor(random() * n);
      if (b !== a && !adj[a]!.has(b) && adj[b]!.size < maxDegree) link(a, b);
    }
  }
  return adj;
}
