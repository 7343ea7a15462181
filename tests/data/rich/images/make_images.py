"""Makes the images of this folder (run from it: python make_images.py)."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

plt.rcParams["svg.hashsalt"] = "jtui"  # stable ids in the SVG
fig, ax = plt.subplots(figsize=(6, 4), dpi=72)  # 432x288, the inline backend's old default
xs = [i / 10 for i in range(100)]
ax.plot(xs, [x * x for x in xs], label="x²")
ax.plot(xs, [10 * x for x in xs], label="10x")
ax.set_title("A matplotlib plot")
ax.legend()
fig.savefig("matplotlib_plot.png", metadata={"Software": None})
fig.savefig("matplotlib_plot.svg", metadata={"Date": None, "Creator": None})

plot = Image.open("matplotlib_plot.png").convert("RGB")
plot.save("matplotlib_plot.jpg", quality=85)
plot.save("matplotlib_plot.webp", quality=80)
plot.resize((216, 144)).save("matplotlib_plot.bmp")
red = Image.new("RGB", (40, 30), (255, 0, 0))
blue = Image.new("RGB", (40, 30), (0, 0, 255))
red.save("two_frames.gif", save_all=True, append_images=[blue], duration=100, loop=0)
