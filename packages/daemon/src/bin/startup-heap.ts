import { setFlagsFromString } from 'node:v8';

// V8 doubles the young generation each time a scavenge finds it busy, and p2pd keeps it at its start-up size (1 MiB
// semi-spaces) for good. Start-up (compiling every module) makes it busy: an idle p2pd kept 8 MiB of young
// generation it never used again, about 5 MiB of its resident memory. A file transfer makes it busy too, and there
// a grown young generation costs far more than it saves: once it is larger than the old generation's headroom (about
// 10 MiB in a heap this small) V8 starts a full incremental marking after every collection. Measured with the files
// bench (three 256 MiB downloads): 46 full collections and about 5 ms of CPU per MiB in the downloader with growth
// allowed, none and about 3.5 ms/MiB without. Only this factor changes (V8 reads it each time it would grow the
// space); the default is 2.
setFlagsFromString('--semi-space-growth-factor=1');
