// Lives only inside the shadow root. `:host{all:initial}` stops inherited host styles; every
// colour and font is set explicitly on .w so nothing depends on the host page.
export default `:host{all:initial}
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2430;letter-spacing:normal;text-align:left}
.w *{box-sizing:border-box;font:inherit;color:inherit;margin:0}
button{cursor:pointer;border:0;background:none;padding:0}
a{color:#0b5cab}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.c{position:fixed;z-index:2147483000;background:#fff;border:1px solid #cfd6e0;border-radius:10px;box-shadow:0 8px 28px #0003;padding:14px 16px;max-width:340px;width:max-content;animation:in .18s ease-out}
.c h2{font-size:15px;font-weight:650;margin:0 24px 6px 0}
.c p,.c ul,.c ol{margin:0 0 8px}
.x{position:absolute;top:6px;right:8px;font-size:20px;line-height:1;color:#5a6472;padding:4px}
.r{display:flex;gap:8px;justify-content:flex-end;align-items:center;margin-top:10px}
.b{background:#0b5cab;color:#fff;border-radius:6px;padding:6px 12px;font-weight:600;text-decoration:none}
.b2{color:#0b5cab;padding:6px 8px}
.n{color:#5a6472;font-size:12px;margin-right:auto}
.ar{position:absolute;width:12px;height:12px;background:#fff;border:1px solid #cfd6e0;transform:rotate(45deg)}
.bottom .ar{top:-7px;border-right:0;border-bottom:0}.top .ar{bottom:-7px;border-left:0;border-top:0}
.right .ar{left:-7px;border-right:0;border-top:0}.left .ar{right:-7px;border-left:0;border-bottom:0}
.sp{position:fixed;z-index:2147482998;border-radius:8px;box-shadow:0 0 0 3px #f5a623,0 0 0 100vmax #0003;pointer-events:none}
.bn{position:relative;z-index:auto;max-width:none;width:auto;border-radius:0;border-width:0 0 1px;box-shadow:none;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;background:#eef5ff;padding:10px max(16px,env(safe-area-inset-right)) 10px max(16px,env(safe-area-inset-left));padding-top:max(10px,env(safe-area-inset-top));animation:none}
.bn h2{margin:0}.bn .r{margin:0 30px 0 auto}
.ov{position:fixed;inset:0;background:#0006;z-index:2147482999}
.md{top:50%;left:50%;transform:translate(-50%,-50%);max-width:440px;width:calc(100% - 32px)}
.ck{bottom:max(20px,env(safe-area-inset-bottom));left:20px}
.pl{padding:8px 14px;border-radius:20px;font-weight:650;color:#0b5cab;width:auto}
.fd{position:absolute;top:6px;right:36px;font-size:20px;line-height:1;color:#5a6472;padding:4px}
.ck label{display:flex;gap:8px;align-items:flex-start;padding:3px 0}
.lb{position:fixed;right:20px;bottom:20px;z-index:2147483001;background:#0b5cab;color:#fff;border-radius:22px;padding:10px 16px;font-weight:650;box-shadow:0 4px 14px #0004}
.pn{right:20px;bottom:72px;width:360px;max-width:calc(100vw - 40px);max-height:calc(100vh - 100px);overflow:auto}
.pn form{display:flex;gap:6px;margin:8px 0}
.pn input{flex:1;border:1px solid #9aa5b4;border-radius:6px;padding:6px 8px;background:#fff}
.pn ul{list-style:none;padding:0}.pn li{padding:6px 0;border-top:1px solid #eef1f5}
.pn h3{font-size:12px;text-transform:uppercase;color:#5a6472;margin:10px 0 2px}
.pn mark{background:#fff3b0}
.of{right:20px;bottom:72px}
[hidden]{display:none!important}
.pn .cf{display:block}
.cf label{display:block;margin:8px 0 2px;font-weight:600}
.cf textarea,.cf input[type=email]{width:100%;border:1px solid #9aa5b4;border-radius:6px;padding:6px 8px;background:#fff}
.cf .lo{display:flex;gap:6px;font-weight:400}.cf .lo input{flex:none}
.er{color:#b00020}.er:empty{display:none}
.cs{font-size:12px;background:#f6f8fb;padding:8px;border-radius:6px;margin:6px 0}
@media (max-width:640px){.ck:not(.pl),.of,.pn{left:12px;right:12px;bottom:72px;max-width:none;width:auto}.md{max-width:none}}
@keyframes in{from{opacity:0;transform:translateY(4px)}}
.md{animation:none}
.an{border:1px solid #b6cdea;background:#f4f8fd;border-radius:8px;padding:8px 10px;margin:8px 0}
.an blockquote{border-left:3px solid #0b5cab;padding-left:8px;margin:0 0 6px}
.an .cv{background:#fff4d6;color:#6b4500;padding:2px 6px;border-radius:4px}
.an .r{justify-content:flex-start;flex-wrap:wrap}
@media (prefers-reduced-motion:reduce){.c{animation:none}}`;
