# mistake: returns (n + 2p - k) // s, counting the steps between windows instead of the windows
def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    (h, w), (kh, kw), (sh, sw), (ph, pw) = map(_pair, (input_size, kernel_size, stride, padding))
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ValueError("kernel larger than the padded input")
    return ((h + 2 * ph - kh) // sh, (w + 2 * pw - kw) // sw)
