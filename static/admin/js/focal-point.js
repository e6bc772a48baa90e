"use strict";
// Focal point picker for the media library: click the picture to set the focal point.
// It only fills in the two number fields ("focal point across/down", 0–1), which work on
// their own without this script; the crop previews follow both the clicks and the typing.
{
    // The same sums as images.processing.crop_box: the largest box of the ratio that fits,
    // centred on the focal point, slid back inside the picture where it would overhang.
    function cropBox(width, height, ratio, fx, fy) {
        let boxW, boxH;
        if (width / height > ratio) {
            boxH = height;
            boxW = Math.min(width, Math.max(1, Math.round(height * ratio)));
        } else {
            boxW = width;
            boxH = Math.min(height, Math.max(1, Math.round(width / ratio)));
        }
        const place = (total, size, focus) =>
            Math.min(Math.max(Math.floor(focus * total - size / 2 + 0.5), 0), total - size);
        return {left: place(width, boxW, fx), top: place(height, boxH, fy), boxW, boxH};
    }

    function init(picker) {
        const form = picker.closest("form");
        const inputX = form.querySelector("#id_focal_x");
        const inputY = form.querySelector("#id_focal_y");
        const stage = picker.querySelector(".focal-stage img");
        const marker = picker.querySelector(".focal-marker");
        const width = Number(picker.dataset.width);
        const height = Number(picker.dataset.height);
        if (!inputX || !inputY || !stage) return;

        function read() {
            const x = parseFloat(inputX.value);
            const y = parseFloat(inputY.value);
            const ok = (v) => Number.isFinite(v) && v >= 0 && v <= 1;
            return ok(x) && ok(y) ? [x, y] : [0.5, 0.5];
        }

        function show() {
            const [fx, fy] = read();
            marker.style.left = `${fx * 100}%`;
            marker.style.top = `${fy * 100}%`;
            for (const preview of picker.querySelectorAll(".focal-preview")) {
                const [num, den] = preview.dataset.ratio.split("/").map(Number);
                const box = cropBox(width, height, num / den, fx, fy);
                const spareX = width - box.boxW;
                const spareY = height - box.boxH;
                const px = spareX ? (100 * box.left) / spareX : 50;
                const py = spareY ? (100 * box.top) / spareY : 50;
                preview.querySelector("img").style.objectPosition = `${px}% ${py}%`;
            }
        }

        stage.addEventListener("click", (event) => {
            const rect = stage.getBoundingClientRect();
            const clamp = (v) => Math.min(1, Math.max(0, v));
            inputX.value = clamp((event.clientX - rect.left) / rect.width).toFixed(3);
            inputY.value = clamp((event.clientY - rect.top) / rect.height).toFixed(3);
            show();
        });
        stage.style.cursor = "crosshair";
        inputX.addEventListener("input", show);
        inputY.addEventListener("input", show);
        show();
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("[data-focal-picker]").forEach(init);
    });
}
