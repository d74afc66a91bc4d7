"""Recipe sweep for issue 13: the trainer's MobileNetV1 recipe replicated in PyTorch, many runs at once.

Each job is a dict of settings; results go to OUT/results.jsonl, one line per finished run.
Usage: python3 recipe-sweep.py SWEEP DATA_DIR OUT_DIR WORKERS DEADLINE_SECONDS [smoke]
  SWEEP: 1 or 2, the job lists behind recipe-sweep-1.jsonl and recipe-sweep-2.jsonl
  DATA_DIR: Fashion-MNIST's four .gz IDX files; jobs start until DEADLINE_SECONDS have passed.
Run on an H200 as `python3 recipe-sweep.py 1 data out 14 400` (MPS on), then `... 2 data out 14 20`.
Sweep 1's averaged-weights runs failed on a bug since fixed (an in-place update outside no_grad).
"""
import gzip, json, math, os, sys, time, queue
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.multiprocessing as mp

LAYERS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1),
          (512, 1), (512, 1), (1024, 2), (1024, 1)]


def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], 'big')
    if magic == 2051:
        n, h, w = (int.from_bytes(data[i:i + 4], 'big') for i in (4, 8, 12))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, h, w)
    n = int.from_bytes(data[4:8], 'big')
    return np.frombuffer(data, np.uint8, offset=8)


def cbr(cin, cout, k, s, groups):
    return [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


def mobilenet(alpha, stem_stride=2, classes=10, init='torch'):
    c = int(32 * alpha)
    mods = cbr(1, c, 3, stem_stride, 1)
    for f, s in LAYERS:
        o = int(f * alpha)
        mods += cbr(c, c, 3, s, c) + cbr(c, o, 1, 1, 1)
        c = o
    mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    net = nn.Sequential(*mods)
    for m in net.modules():
        if init == 'djl' and isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)
    return net


def prepare(data_dir, res, dev):
    xs = idx(os.path.join(data_dir, 'train-images-idx3-ubyte.gz'))
    ys = idx(os.path.join(data_dir, 'train-labels-idx1-ubyte.gz'))
    xt = idx(os.path.join(data_dir, 't10k-images-idx3-ubyte.gz'))
    yt = idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte.gz'))

    def resize(x):
        t = torch.tensor(x, dtype=torch.float32, device=dev).unsqueeze(1)
        if res != 28:
            t = F.interpolate(t, size=(res, res), mode='bilinear', align_corners=False)
        return t.round().clamp(0, 255).to(torch.uint8)

    return resize(xs), torch.tensor(ys, device=dev).long(), resize(xt), torch.tensor(yt, device=dev).long()


def split(y, seed, fraction=0.1):
    g = torch.Generator().manual_seed(seed)
    train, val = [], []
    yc = y.cpu()
    for c in range(10):
        ids = (yc == c).nonzero().flatten()
        ids = ids[torch.randperm(len(ids), generator=g)]
        k = int(round(len(ids) * fraction))
        val.append(ids[:k]); train.append(ids[k:])
    return torch.cat(train), torch.cat(val)


def augment(x, cfg, g, mean, std):
    """x: uint8 N×1×H×W on the device -> normalized float, with flips, shifts and erasing."""
    n, _, h, w = x.shape
    dev = x.device
    xf = x.float()
    pad = cfg.get('crop', 0)
    if pad:
        xp = F.pad(xf, (pad, pad, pad, pad))
        dy = torch.randint(0, 2 * pad + 1, (n,), device=dev, generator=g)
        dx = torch.randint(0, 2 * pad + 1, (n,), device=dev, generator=g)
        ar = torch.arange(h, device=dev)
        rows = (dy[:, None] + ar[None, :])  # n×h
        cols = (dx[:, None] + ar[None, :])
        xf = xp[:, 0][torch.arange(n, device=dev)[:, None, None], rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    if cfg.get('flip', True):
        f = torch.rand(n, device=dev, generator=g) < 0.5
        xf = torch.where(f[:, None, None, None], xf.flip(3), xf)
    p = cfg.get('erase', 0.0)
    if p > 0:
        area = h * w * (0.02 + torch.rand(n, device=dev, generator=g) * 0.38)
        logr = math.log(0.3) + torch.rand(n, device=dev, generator=g) * (-2 * math.log(0.3))
        r = torch.exp(logr)
        eh = torch.sqrt(area * r).round().clamp(1, h - 1)
        ew = torch.sqrt(area / r).round().clamp(1, w - 1)
        top = (torch.rand(n, device=dev, generator=g) * (h - eh + 1)).floor()
        left = (torch.rand(n, device=dev, generator=g) * (w - ew + 1)).floor()
        yy = torch.arange(h, device=dev)[None, :, None]
        xx = torch.arange(w, device=dev)[None, None, :]
        m = (yy >= top[:, None, None]) & (yy < (top + eh)[:, None, None]) & (xx >= left[:, None, None]) & (xx < (left + ew)[:, None, None])
        m = m & (torch.rand(n, device=dev, generator=g) < p)[:, None, None]
        noise = torch.randint(0, 256, (n, h, w), device=dev, generator=g).float()
        xf = torch.where(m[:, None], noise[:, None], xf)
    return (xf / 255.0 - mean) / std


def param_groups(net, cfg):
    decay, no_decay = [], []
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            if m.groups > 1 and cfg.get('no_dw_wd', False):
                no_decay.append(m.weight)
            else:
                decay.append(m.weight)
        elif isinstance(m, nn.Linear):
            decay.append(m.weight); no_decay.append(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            no_decay += [m.weight, m.bias]
    return [{'params': decay, 'weight_decay': cfg.get('wd', 5e-4)}, {'params': no_decay, 'weight_decay': 0.0}]


@torch.no_grad()
def evaluate(net, x, y, mean, std):
    net.eval()
    correct, loss = 0, 0.0
    for i in range(0, len(x), 2000):
        xb = (x[i:i + 2000].float() / 255.0 - mean) / std
        out = net(xb)
        loss += F.cross_entropy(out, y[i:i + 2000], reduction='sum').item()
        correct += (out.argmax(1) == y[i:i + 2000]).sum().item()
    net.train()
    return correct / len(x), loss / len(x)


def run(cfg, data_dir, dev, cache):
    seed = cfg['seed']
    res = cfg.get('res', 64)
    if res not in cache:
        cache[res] = prepare(data_dir, res, dev)
    xs, ys, xt, yt = cache[res]
    tr, va = split(ys, seed)
    tr, va = tr.to(dev), va.to(dev)
    xtr, ytr, xva, yva = xs[tr], ys[tr], xs[va], ys[va]
    if cfg.get('limit'):
        keep = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(seed))[:cfg['limit']].to(dev)
        xtr, ytr, xt, yt = xtr[keep], ytr[keep], xt[:1000], yt[:1000]
    mean = xtr.float().mean().item() / 255.0
    std = (xtr.float() / 255.0).std().item()
    torch.manual_seed(seed)
    net = mobilenet(cfg.get('alpha', 0.5), cfg.get('stem_stride', 2), init=cfg.get('init', 'torch')).to(dev).to(memory_format=torch.channels_last)
    ema = None
    if cfg.get('ema', 0) > 0:
        ema = mobilenet(cfg.get('alpha', 0.5), cfg.get('stem_stride', 2), init=cfg.get('init', 'torch')).to(dev).to(memory_format=torch.channels_last)
        ema.load_state_dict(net.state_dict())
        ema_p = list(ema.parameters()) + [b for b in ema.buffers() if b.dtype.is_floating_point]
        net_p = list(net.parameters()) + [b for b in net.buffers() if b.dtype.is_floating_point]
    opt = torch.optim.SGD(param_groups(net, cfg), lr=cfg.get('lr', 0.05), momentum=0.9,
                          nesterov=cfg.get('nesterov', False))
    epochs = cfg.get('epochs', 13)
    batch = cfg.get('batch', 128)
    shares = cfg.get('shares', 2)
    steps_per_epoch = math.ceil(len(xtr) / batch)
    total = epochs * steps_per_epoch
    warm = cfg.get('warmup', 1) * steps_per_epoch
    peak = cfg.get('lr', 0.05)
    ls = cfg.get('ls', 0.1)
    g = torch.Generator(device=dev).manual_seed(seed)
    step = 0
    history = []
    t0 = time.time()
    for epoch in range(epochs):
        perm = torch.randperm(len(xtr), device=dev, generator=g)
        for b in range(steps_per_epoch):
            ids = perm[b * batch:(b + 1) * batch]
            step += 1
            lr = peak * max(1, step) / warm if step <= warm else 0.5 * peak * (1 + math.cos(math.pi * (step - warm) / (total - warm)))
            for grp in opt.param_groups:
                grp['lr'] = lr
            xb = augment(xtr[ids], cfg, g, mean, std).contiguous(memory_format=torch.channels_last)
            yb = ytr[ids]
            mix = cfg.get('mix')  # ('mixup'|'cutmix', alpha, prob)
            lam, yb2 = 1.0, yb
            if mix and torch.rand(1, device=dev, generator=g).item() < mix[2]:
                lam = float(np.random.default_rng(seed * 100003 + step).beta(mix[1], mix[1]))
                perm2 = torch.randperm(len(ids), device=dev, generator=g)
                yb2 = yb[perm2]
                if mix[0] == 'mixup':
                    xb = lam * xb + (1 - lam) * xb[perm2]
                else:
                    h = xb.shape[2]
                    cut = math.sqrt(1 - lam)
                    ch = int(h * cut)
                    cy, cx = np.random.default_rng(seed + step).integers(0, h, 2)
                    y1, y2 = max(cy - ch // 2, 0), min(cy + ch // 2, h)
                    x1, x2 = max(cx - ch // 2, 0), min(cx + ch // 2, h)
                    xb = xb.clone()
                    xb[:, :, y1:y2, x1:x2] = xb[perm2][:, :, y1:y2, x1:x2]
                    lam = 1 - (y2 - y1) * (x2 - x1) / (h * h)
            opt.zero_grad(set_to_none=True)
            n = len(ids)
            for s in range(shares):
                lo, hi = s * n // shares, (s + 1) * n // shares
                out = net(xb[lo:hi])
                loss = lam * F.cross_entropy(out, yb[lo:hi], label_smoothing=ls, reduction='sum')
                if lam < 1.0:
                    loss = loss + (1 - lam) * F.cross_entropy(out, yb2[lo:hi], label_smoothing=ls, reduction='sum')
                (loss / n).backward()
            opt.step()
            if ema is not None:
                d = min(cfg['ema'], (1 + step) / (10 + step))
                with torch.no_grad():
                    torch._foreach_mul_(ema_p, d)
                    torch._foreach_add_(ema_p, net_p, alpha=1 - d)
        judged = ema if ema is not None else net
        va_acc, va_loss = evaluate(judged, xva, yva, mean, std)
        te_acc, _ = evaluate(judged, xt, yt, mean, std)
        history.append((round(va_acc * 100, 2), round(te_acc * 100, 2)))
    best = max(range(epochs), key=lambda e: (history[e][0], -e))
    return {'cfg': cfg, 'best_epoch': best + 1, 'val': history[best][0], 'test': history[best][1],
            'final_test': history[-1][1], 'history': history, 'seconds': round(time.time() - t0, 1)}


def worker(rank, jobs, out_path, data_dir, deadline, lock):
    torch.backends.cudnn.benchmark = True
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    cache = {}
    while time.time() < deadline:
        try:
            cfg = jobs.get_nowait()
        except queue.Empty:
            return
        try:
            r = run(cfg, data_dir, dev, cache)
        except Exception as e:  # a broken config must not stop the sweep
            r = {'cfg': cfg, 'error': repr(e)}
        with lock:
            with open(out_path, 'a') as f:
                f.write(json.dumps(r) + '\n')
        print(rank, json.dumps({k: r.get(k) for k in ('cfg', 'val', 'test', 'best_epoch', 'seconds', 'error')}), flush=True)


def job_list(sweep, smoke):
    base = {'flip': True}
    jobs = []

    def add(name, seeds, **v):
        for seed in seeds:
            cfg = dict(base, **v, seed=seed, name=name)
            cfg['epochs'] = 1 if smoke else v.get('epochs', 13)
            if smoke:
                cfg['limit'] = 512
            jobs.append(cfg)

    if sweep == 1:
        variants = [
            ('base', {}),
            ('erase', {'erase': 0.5}),
            ('erase_nodw', {'erase': 0.5, 'no_dw_wd': True}),
            ('erase_ema', {'erase': 0.5, 'ema': 0.999}),
            ('erase_e18', {'erase': 0.5, 'epochs': 18}),
            ('base_e18', {'epochs': 18}),
            ('erase_lr1', {'erase': 0.5, 'lr': 0.1}),
            ('erase_cutmix', {'erase': 0.25, 'mix': ('cutmix', 1.0, 0.5)}),
            ('erase_a75r48_e15', {'erase': 0.5, 'alpha': 0.75, 'res': 48, 'epochs': 15}),
            ('erase_r48_e22', {'erase': 0.5, 'res': 48, 'epochs': 22}),
            ('erase_crop2', {'erase': 0.5, 'crop': 2}),
            ('erase_wd1e-4', {'erase': 0.5, 'wd': 1e-4}),
            ('erase_ls0', {'erase': 0.5, 'ls': 0.0}),
            ('erase_mixup', {'mix': ('mixup', 0.2, 1.0), 'erase': 0.25}),
            ('erase_nesterov', {'erase': 0.5, 'nesterov': True}),
            ('erase_r32s1_a50', {'erase': 0.5, 'res': 32, 'stem_stride': 1}),
        ]
        for seed in (42, 1, 2):  # every variant on one seed before the next seed
            for name, v in variants:
                add(name, (seed,), **v)
    else:
        add('djl_base', (42, 1, 2), init='djl')
        add('djl_erase_lr1', (42, 1), init='djl', erase=0.5, lr=0.1)
        add('erase_lr1_e15', (42, 1, 2), erase=0.5, lr=0.1, epochs=15)
        add('erase_lr1_nesterov', (42, 1), erase=0.5, lr=0.1, nesterov=True)
        add('djl_base_nodw', (42,), init='djl', no_dw_wd=True)
        add('base_lr1', (42, 1), lr=0.1)
        add('erase_lr1_ema', (42,), erase=0.5, lr=0.1, ema=0.999)
    return [j for j in jobs if j['seed'] == 42] if smoke else jobs


def main():
    sweep, data_dir, out_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    workers, seconds = int(sys.argv[4]), float(sys.argv[5])
    smoke = len(sys.argv) > 6
    deadline = time.time() + seconds
    ctx = mp.get_context('spawn')
    jobs = ctx.Queue()
    for j in job_list(sweep, smoke):
        jobs.put(j)
    lock = ctx.Lock()
    out_path = os.path.join(out_dir, 'results.jsonl')
    procs = [ctx.Process(target=worker, args=(r, jobs, out_path, data_dir, deadline, lock)) for r in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


if __name__ == '__main__':
    main()
