from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]


def reqs(key):
    return cfg.get(key, "").split()


setuptools.setup(
    name=cfg["repo"],
    version=cfg["version"],
    description=cfg["description"],
    license="Apache Software License 2.0",
    author=cfg["author"],
    author_email=cfg["author_email"],
    url=cfg["git_url"],
    packages=setuptools.find_packages(include=["contrastive_study", "contrastive_study.*"]),
    include_package_data=True,
    python_requires=">=" + cfg["min_python"],
    install_requires=reqs("requirements"),
    extras_require={"dev": reqs("dev_requirements"), "text": reqs("text_requirements"), "retrieval": reqs("retrieval_requirements"), "study": reqs("study_requirements"), "bench": reqs("bench_requirements"), "demo": reqs("demo_requirements"), "tensorboard": reqs("tensorboard_requirements"), "cluster": reqs("cluster_requirements")},
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    entry_points={
        "console_scripts": reqs("console_scripts"),
        "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    zip_safe=False,
)
